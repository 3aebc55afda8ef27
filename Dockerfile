# One image, several roles (see compose.yaml): the HTTP service by default; workers, the reconciler
# and the hot folder with `python -m workers …`; the command line with `digitize …`.
#
# Python packages are installed offline from a wheelhouse built on the host (build/wheelhouse:
# the project's wheel and every dependency's), as provincial data centres without internet need;
# ./scripts/image builds it and the image. See docs/deploy.md.
FROM debian:bookworm-slim

ENV DEBIAN_FRONTEND=noninteractive \
    OMP_THREAD_LIMIT=1 \
    PYTHONUNBUFFERED=1 \
    DIGITIZE_HOME=/var/lib/digitize

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      python3 python3-venv tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd tesseract-ocr-eng \
      poppler-utils qpdf fonts-liberation2 fonts-dejavu-core fonts-noto-core fonts-ocr-b ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# Mounted for this step only, so the wheels do not stay in a layer of the image. A mount's content
# is not part of the build cache's key: WHEELS (a digest of the wheelhouse) is.
ARG WHEELS=unknown
RUN --mount=type=bind,source=build/wheelhouse,target=/tmp/wheelhouse \
    echo "wheelhouse $WHEELS" \
 && python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --no-index --find-links /tmp/wheelhouse digitize
ENV PATH=/opt/venv/bin:$PATH

RUN useradd --system --create-home --home-dir /var/lib/digitize digitize
USER digitize
EXPOSE 8000
CMD ["python", "-m", "digitize.api", "--host", "0.0.0.0", "--port", "8000"]

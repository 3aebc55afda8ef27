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

WORKDIR /app
COPY pyproject.toml README.md ./
COPY digitize ./digitize
COPY ocr ./ocr
COPY signing ./signing
COPY storage ./storage
COPY workers ./workers
COPY samples ./samples
RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir .
ENV PATH=/opt/venv/bin:$PATH

RUN useradd --system --create-home --home-dir /var/lib/digitize digitize
USER digitize
EXPOSE 8000
# One image, several roles (see compose.yaml): the HTTP service by default; workers, the reconciler
# and the hot folder with `python -m workers …`; the command line with `digitize …`.
CMD ["python", "-m", "digitize.api", "--host", "0.0.0.0", "--port", "8000"]

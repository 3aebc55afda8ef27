# Shared by scripts/demo, scripts/test and scripts/services. Idempotent: each step
# checks before it installs; heavy builds are cached under ~/.cache/digitize.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${DIGITIZE_CACHE:-$HOME/.cache/digitize}"
VENV="$ROOT/.venv"
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"   # github.com/minio/minio, pinned
MINIO_BIN="$CACHE/minio/$MINIO_VERSION/minio"
VERAPDF_VERSION="1.30.2"                              # org.verapdf.apps:cli on Maven Central, pinned
VERAPDF="$CACHE/verapdf/$VERAPDF_VERSION/verapdf"
KEYCLOAK_VERSION="26.5.6"                             # org.keycloak:keycloak-quarkus-dist, pinned
KEYCLOAK_HOME="$CACHE/keycloak/$KEYCLOAK_VERSION/keycloak-$KEYCLOAK_VERSION"
export OMP_THREAD_LIMIT=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Runtime packages: OCR (English for machine-readable zones), PDF tools, fonts for the stamp and the
# sample generator (OCR-B for the specimen cards' MRZ).
RUNTIME_PACKAGES=(python3 python3-venv tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd tesseract-ocr-eng
                  poppler-utils qpdf fonts-liberation2 fonts-dejavu-core fonts-noto-core fonts-ocr-b)
# Services and tools for the test suite (ghostscript: OCRmyPDF, the benchmark's comparison;
# Java and Maven: the veraPDF validator; Chromium: the web pages' end-to-end tests).
TEST_PACKAGES=(redis-server postgresql softhsm2 opensc golang-go ca-certificates curl ghostscript
               maven default-jre-headless chromium)

ensure_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  # Toolchains installed outside Debian's packages (e.g. /usr/local/go, a JDK with Maven) are fine too.
  local pkg_cmd
  for pkg_cmd in golang-go:go maven:mvn default-jre-headless:java; do
    if [[ " ${missing[*]} " == *" ${pkg_cmd%%:*} "* ]] && command -v "${pkg_cmd##*:}" >/dev/null; then
      missing=("${missing[@]/${pkg_cmd%%:*}}")
    fi
  done
  missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  quietly "$CACHE/apt.log" $sudo apt-get update -qq
  quietly "$CACHE/apt.log" $sudo env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Runs a build step quietly: its output goes to a log, shown only if the step fails.
quietly() {
  local log="$1"; shift
  mkdir -p "$(dirname "$log")"
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "failed: $* (whole log: $log)" >&2
    return 1
  fi
}

ensure_venv() {
  local stamp="$VENV/.installed-$(cat "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)"
  [ -f "$stamp" ] && return 0
  say "creating the Python environment in .venv (wheels cached in ~/.cache/pip)"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  quietly "$VENV/install.log" "$VENV/bin/pip" install -q --upgrade pip
  quietly "$VENV/install.log" "$VENV/bin/pip" install -q -e "$ROOT[test,bench]"
  # The checkout's own tools (bench/, samples/, tests/) are not in the wheel: put the checkout on the path.
  "$VENV/bin/python" -c 'import sys, sysconfig; open(sysconfig.get_paths()["purelib"] + "/digitize-checkout.pth", "w").write(sys.argv[1] + "\n")' "$ROOT"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
}

ensure_minio() {
  [ -x "$MINIO_BIN" ] && return 0
  say "building MinIO $MINIO_VERSION from its Go module (cached in $CACHE/minio, takes a few minutes once)"
  local go_bin; go_bin="$(command -v go || echo /usr/local/go/bin/go)"
  mkdir -p "$(dirname "$MINIO_BIN")"
  (cd /tmp && GOBIN="$(dirname "$MINIO_BIN")" CGO_ENABLED=0 GOFLAGS=-mod=mod \
     quietly "$CACHE/minio/build.log" "$go_bin" install "github.com/minio/minio@$MINIO_VERSION")
}

ensure_verapdf() {  # the PDF/A validator's CLI and its libraries, from Maven Central
  [ -x "$VERAPDF" ] && return 0
  say "fetching veraPDF $VERAPDF_VERSION from Maven Central (cached in $CACHE/verapdf)"
  local dir; dir="$(dirname "$VERAPDF")"
  mkdir -p "$dir"
  cat > "$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.digitize</groupId><artifactId>verapdf-cli</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.verapdf.apps</groupId><artifactId>cli</artifactId><version>$VERAPDF_VERSION</version></dependency>
  </dependencies>
</project>
POM
  (cd "$dir" && quietly "$dir/fetch.log" mvn -q -B dependency:copy-dependencies -DoutputDirectory="$dir/lib")
  printf '#!/bin/sh\nexec java -cp "%s/lib/*" org.verapdf.apps.GreenfieldCliWrapper "$@"\n' "$dir" > "$VERAPDF"
  chmod +x "$VERAPDF"
}

ensure_keycloak() {  # the OIDC provider of the single sign-on tests, from Maven Central
  [ -x "$KEYCLOAK_HOME/bin/kc.sh" ] && return 0
  say "fetching Keycloak $KEYCLOAK_VERSION from Maven Central (cached in $CACHE/keycloak)"
  local dir; dir="$(dirname "$KEYCLOAK_HOME")"
  mkdir -p "$dir"
  (cd "$dir" && quietly "$dir/fetch.log" mvn -q -B dependency:copy \
     "-Dartifact=org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:tar.gz" -DoutputDirectory="$dir")
  tar -xzf "$dir/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz" -C "$dir"
  rm -f "$dir/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz"
}

keycloak_java_home() {  # Keycloak 26 needs Java 21 or newer; Debian bookworm's default is 17
  local jdk
  for jdk in /usr/lib/jvm/*; do
    [ -x "$jdk/bin/java" ] || continue
    local major; major="$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')"
    [ "${major%%.*}" -ge 21 ] 2>/dev/null && { echo "$jdk"; return 0; }
  done
  return 1
}

# The image and the installed-wheel test install offline, from wheels built here: every runtime
# dependency (cached per pyproject.toml) and the project's own wheel (built fresh each time).
WHEELHOUSE="$ROOT/build/wheelhouse"

ensure_wheelhouse() {
  local deps="$CACHE/wheels/$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
  if [ ! -f "$deps/.complete" ]; then
    say "building the wheelhouse of runtime dependencies (cached in $CACHE/wheels)"
    rm -rf "$deps"; mkdir -p "$deps"
    "$VENV/bin/python" -c 'import tomllib, sys; print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]))' \
      "$ROOT/pyproject.toml" > "$deps/requirements.txt"
    # Wheels are resolved by this machine's Python, the image runs Debian bookworm's 3.11.2: redis needs
    # async-timeout below Python 3.11.3 (the only dependency whose markers tell the two apart).
    echo "async-timeout>=4.0.3" >> "$deps/requirements.txt"
    quietly "$deps/build.log" "$VENV/bin/pip" wheel -q --wheel-dir "$deps" -r "$deps/requirements.txt"
    touch "$deps/.complete"
  fi
  rm -rf "$WHEELHOUSE"; mkdir -p "$WHEELHOUSE"
  cp -l "$deps"/*.whl "$WHEELHOUSE"/ 2>/dev/null || cp "$deps"/*.whl "$WHEELHOUSE"/
  quietly "$ROOT/build/wheel.log" "$VENV/bin/pip" wheel -q --no-deps --wheel-dir "$WHEELHOUSE" "$ROOT"
  rm -rf "$ROOT/build/lib" "$ROOT/build/bdist."*
}

IMAGE_PACKAGES=(podman runc mmdebstrap uidmap)
BASE_TARBALL="$CACHE/base/bookworm-minbase.tar"
IMAGE="localhost/digitize:test"
PODMAN=(podman --runtime runc)

ensure_base_image() {  # no registry is reachable: debian:bookworm-slim is made from Debian's packages
  if [ ! -f "$BASE_TARBALL" ]; then
    say "making the base image with mmdebstrap (cached in $CACHE/base)"
    mkdir -p "$(dirname "$BASE_TARBALL")"
    quietly "$CACHE/base/mmdebstrap.log" mmdebstrap --format=tar --variant=minbase bookworm "$BASE_TARBALL.part" \
      http://deb.debian.org/debian
    mv "$BASE_TARBALL.part" "$BASE_TARBALL"
  fi
  "${PODMAN[@]}" image exists docker.io/library/debian:bookworm-slim && return 0
  quietly "$CACHE/base/import.log" "${PODMAN[@]}" import "$BASE_TARBALL" docker.io/library/debian:bookworm-slim
}

build_image() {
  ensure_base_image
  ensure_wheelhouse
  say "building the image $IMAGE (offline pip install from build/wheelhouse)"
  local started=$SECONDS
  local wheels  # what the wheels hold, not when they were built
  wheels="$("$VENV/bin/python" - "$WHEELHOUSE" <<'PY'
import hashlib, pathlib, sys, zipfile
digest = hashlib.sha256()
for wheel in sorted(pathlib.Path(sys.argv[1]).glob("*.whl")):
    with zipfile.ZipFile(wheel) as z:
        for name in sorted(z.namelist()):
            digest.update(name.encode() + z.read(name))
print(digest.hexdigest()[:16])
PY
)"
  quietly "$ROOT/build/image.log" "${PODMAN[@]}" build --pull=never --network=host --build-arg "WHEELS=$wheels" \
    -t "$IMAGE" -f "$ROOT/Dockerfile" "$ROOT"
  "${PODMAN[@]}" image prune -f >/dev/null  # the images this tag replaced
  local size; size="$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE")"
  echo "image build: $((SECONDS - started)) s, $((size / 1000000)) MB" > "$ROOT/build/image-build.txt"
  say "$IMAGE built in $((SECONDS - started)) s: $((size / 1000000)) MB"
}

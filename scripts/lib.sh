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
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_venv() {
  local stamp="$VENV/.installed-$(cat "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)"
  [ -f "$stamp" ] && return 0
  say "creating the Python environment in .venv (wheels cached in ~/.cache/pip)"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q -e "$ROOT[test,bench]"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
}

ensure_minio() {
  [ -x "$MINIO_BIN" ] && return 0
  say "building MinIO $MINIO_VERSION from its Go module (cached in $CACHE/minio, takes a few minutes once)"
  local go_bin; go_bin="$(command -v go || echo /usr/local/go/bin/go)"
  mkdir -p "$(dirname "$MINIO_BIN")"
  (cd /tmp && GOBIN="$(dirname "$MINIO_BIN")" CGO_ENABLED=0 GOFLAGS=-mod=mod \
     "$go_bin" install "github.com/minio/minio@$MINIO_VERSION")
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
  (cd "$dir" && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$dir/lib" >/dev/null)
  printf '#!/bin/sh\nexec java -cp "%s/lib/*" org.verapdf.apps.GreenfieldCliWrapper "$@"\n' "$dir" > "$VERAPDF"
  chmod +x "$VERAPDF"
}

#!/usr/bin/env bash
# Installs the Debian 12 packages the build, the tests and the demo need.
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

PACKAGES=(
  build-essential cmake ccache pkg-config git clang-format
  libfmt-dev libspdlog-dev nlohmann-json3-dev libcli11-dev
  libsqlite3-dev libpq-dev libboost-dev
  libicu-dev libopencc-dev libfasttext-dev libsodium-dev libxlsxwriter-dev zlib1g-dev libexpat1-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  poppler-utils
  # the fuzz targets (libFuzzer comes with clang's runtime)
  clang libclang-rt-14-dev
  # the web console (npm ci + vite) and its end-to-end tests: Debian's chromium and a CJK
  # font so that screenshots show Chinese
  chromium fonts-wqy-microhei
)
# Node.js and npm: Debian's, unless a node with its own npm is already installed (NodeSource
# bundles npm and conflicts with Debian's npm package).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi
if [[ "${HOTLINE_WITH_POSTGRES:-0}" == 1 ]]; then
  PACKAGES+=(postgresql postgresql-contrib)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "hotline needs these Debian packages. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# The README's first step on Debian/Ubuntu: installs the system packages `npm ci` needs (keytar builds from
# source when its prebuilt binary can't be downloaded: libsecret headers, a C++ compiler, make, python3), then
# runs `npm ci`. Idempotent and quiet: apt runs only when a package is missing.
#   bash scripts/setup.sh [EXTRA_APT_PACKAGE ...]     (.ci/run adds the test prerequisites this way)
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive ELECTRON_SKIP_BINARY_DOWNLOAD=1

BUILD_PACKAGES=(libsecret-1-dev pkg-config g++ make python3 ca-certificates)
wanted=("${BUILD_PACKAGES[@]}" "$@")

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none)); install it, then run this again" >&2
  exit 1
fi

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "setup: these packages are missing and this is not a Debian/Ubuntu system: ${missing[*]} (README: other systems)" >&2
    exit 1
  fi
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  echo "setup: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund --loglevel=error

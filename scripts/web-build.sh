#!/bin/sh
# Builds the web console and citizen portal into web/dist (npm ci from the committed lock
# file, then vite build). Needs Node.js >= 18 and npm (Debian 12: apt-get install nodejs npm).
# Skips the work when web/dist is newer than every source file unless FORCE=1.
set -eu
cd "$(dirname "$0")/../web"

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "web-build: node and npm are needed: sudo apt-get install -y nodejs npm" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "web-build: Node.js >= 18 is needed (found $(node -v))" >&2
  exit 1
fi

# Install when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "web-build: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "${FORCE:-0}" != 1 ] && [ -f dist/index.html ] && \
   [ -z "$(find src index.html vite.config.js package-lock.json -newer dist/index.html -print -quit)" ]; then
  echo "web-build: web/dist is up to date" >&2
  exit 0
fi
echo "web-build: vite build" >&2
npx --no-install vite build --logLevel warn
echo "web-build: built $(pwd)/dist" >&2

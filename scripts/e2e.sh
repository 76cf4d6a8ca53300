#!/bin/bash
# End-to-end tests of the web console and the citizen portal in headless chromium.
#
# Builds web/dist when needed, creates a fresh demo store (fixed seed) with a few knowledge-base
# articles in a temporary directory, starts `hotline serve` on a free port serving web/dist,
# and runs tests/e2e/run.mjs with playwright-core driving Debian's /usr/bin/chromium (no
# browser download). Screenshots go to build/e2e-screenshots/. Exits non-zero on any failure.
#
#   HOTLINE_BIN=build/release/src/cli/hotline scripts/e2e.sh [scenario-filter]
# Environment: HOTLINE_BIN, CHROMIUM (default /usr/bin/chromium), E2E_TICKETS (default 300),
# SCREENSHOT_DIR, E2E_KEEP=1 keeps the temporary store.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [ -z "${HOTLINE_BIN:-}" ]; then
  for b in build/release/src/cli/hotline build/debug/src/cli/hotline; do
    if [ -x "$b" ]; then HOTLINE_BIN=$b; break; fi
  done
fi
if [ -z "${HOTLINE_BIN:-}" ] || [ ! -x "$HOTLINE_BIN" ]; then
  echo "e2e: no hotline binary (build one, or set HOTLINE_BIN)" >&2
  exit 1
fi
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "e2e: $CHROMIUM is missing: sudo apt-get install -y chromium" >&2
  exit 1
fi
export CHROMIUM

scripts/web-build.sh

TMP=$(mktemp -d /tmp/hotline-e2e.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${E2E_KEEP:-0}" = 1 ]; then echo "e2e: kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT INT TERM

echo "e2e: demo store ($HOTLINE_BIN)" >&2
"$HOTLINE_BIN" demo --store "$TMP/e2e.db" --tickets "${E2E_TICKETS:-300}" --seed 20241009 >"$TMP/demo.log" 2>&1 \
  || { cat "$TMP/demo.log" >&2; exit 1; }
"$HOTLINE_BIN" kb import --store "$TMP/e2e.db" tests/e2e/fixtures/kb.jsonl >"$TMP/kb.log" 2>&1 \
  || { echo "e2e: warning: kb import failed:" >&2; cat "$TMP/kb.log" >&2; }

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
if ! "$HOTLINE_BIN" serve --help 2>&1 | grep -q -- '--web-root'; then
  echo "e2e: this hotline has no 'serve --web-root': it cannot serve the web console" >&2
  exit 1
fi
"$HOTLINE_BIN" serve --store "$TMP/e2e.db" --listen "127.0.0.1:$PORT" --web-root "$ROOT/web/dist" >"$TMP/serve.log" 2>&1 &
SERVER_PID=$!
BASE_URL="http://127.0.0.1:$PORT"
# fetch URL [substring]: succeeds when URL answers 2xx (and contains substring).
fetch_ok() {
  node -e 'fetch(process.argv[1]).then(async r=>{const t=await r.text();process.exit(r.ok&&t.includes(process.argv[2]||"")?0:1)}).catch(()=>process.exit(1))' "$@"
}
for _ in $(seq 1 150); do
  if fetch_ok "$BASE_URL/healthz"; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$TMP/serve.log" >&2; echo "e2e: the server died" >&2; exit 1; fi
  sleep 0.1
done
fetch_ok "$BASE_URL/login" '<div id="app">' \
  || { echo "e2e: $BASE_URL/login does not serve the console (index.html)" >&2; exit 1; }

export BASE_URL
export SCREENSHOT_DIR=${SCREENSHOT_DIR:-$ROOT/build/e2e-screenshots}
rm -rf "$SCREENSHOT_DIR"
echo "e2e: $BASE_URL, chromium $("$CHROMIUM" --version 2>/dev/null | head -1)" >&2
status=0
timeout 240 node tests/e2e/run.mjs "$@" || status=$?
if [ $status -ne 0 ]; then
  echo "e2e: server log tail:" >&2
  tail -20 "$TMP/serve.log" >&2 || true
fi
exit $status

# Shared by the CLI tests: sourced with the hotline binary as $1. Gives a temporary store
# (S=(--store ...), removed on exit), `check NAME EXPECTED_EXIT CMD...` (output kept in
# $LAST), `expect_contains NAME NEEDLE`, `last_json KEY` and `finish NAME`.
set -uo pipefail
HOTLINE="$1"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
S=(--store "$DIR/h.db")
failures=0
passes=0
check() {  # check NAME EXPECTED_EXIT CMD...
  local name="$1" want="$2"
  shift 2
  local out
  out="$("$@" 2>&1)"
  local got=$?
  if [[ "$got" -ne "$want" ]]; then
    echo "FAIL $name: exit $got, want $want"
    echo "$out" | tail -5
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
  LAST="$out"
}
expect_contains() {  # expect_contains NAME NEEDLE
  if [[ "$LAST" != *"$2"* ]]; then
    echo "FAIL $1: output lacks '$2'"
    echo "$LAST" | tail -5
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}
last_json() {  # last_json KEY: the key of the last output line's JSON
  echo "$LAST" | tail -1 | python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"
}
finish() {  # finish NAME: the summary line; fails the test if any check failed
  echo "$1: $passes passed, $failures failed"
  [[ "$failures" -eq 0 ]]
}

#!/usr/bin/env bash
# `hotline telephony import`: a JSON Lines file of call records and agent states is loaded
# idempotently by call id (a second import changes nothing; a later report of a call updates
# it), and a bad line names the line and field, exits 2 and writes nothing.
set -uo pipefail
HOTLINE="$1"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
S=(--store "$DIR/h.db")
failures=0
check() {  # check NAME EXPECTED_EXIT CMD...
  local name="$1" want="$2"
  shift 2
  LAST="$("$@" 2>&1)"
  local got=$?
  if [[ "$got" -ne "$want" ]]; then
    echo "FAIL $name: exit $got, want $want"
    echo "$LAST" | tail -5
    failures=$((failures + 1))
  fi
}
expect_json() {  # expect_json NAME PYTHON-EXPR-ON-j EXPECTED
  local got
  got="$(echo "$LAST" | tail -1 | python3 -c "import json,sys; j=json.load(sys.stdin); print($2)")"
  if [[ "$got" != "$3" ]]; then
    echo "FAIL $1: $2 = $got, want $3 ($(echo "$LAST" | tail -1))"
    failures=$((failures + 1))
  fi
}

check demo 0 "$HOTLINE" demo "${S[@]}" --tickets 5 --seed 3
cat >"$DIR/calls.jsonl" <<'JSONL'
{"call_id":"C1","caller":"13812345678","queue":"综合","offered_at":"2024-10-14T09:00:00+08:00","answered_at":"2024-10-14T09:00:08+08:00","ended_at":"2024-10-14T09:02:08+08:00","agent":"op1"}
{"call_id":"C2","offered_at":"2024-10-14T09:01:00+08:00"}
{"call_id":"C3","offered_at":"2024-10-14T09:02:00+08:00","ended_at":"2024-10-14T09:02:03+08:00","abandoned":true}

{"agent":"op1","state":"ready","at":"2024-10-14T08:30:00+08:00"}
JSONL
check import 0 "$HOTLINE" telephony import "${S[@]}" "$DIR/calls.jsonl"
expect_json import-calls 'j["calls"]["inserted"]' 3
expect_json import-states 'j["states"]["inserted"]' 1
check again 0 "$HOTLINE" telephony import "${S[@]}" "$DIR/calls.jsonl"
expect_json again-unchanged 'j["calls"]["unchanged"]' 3
expect_json again-states 'j["states"]["unchanged"]' 1

# C2 answered later: an update.
echo '{"call_id":"C2","offered_at":"2024-10-14T09:01:00+08:00","answered_at":"2024-10-14T09:01:20+08:00","ended_at":"2024-10-14T09:03:00+08:00","agent":"op1"}' >"$DIR/later.jsonl"
check later 0 "$HOTLINE" telephony import "${S[@]}" "$DIR/later.jsonl"
expect_json later-updated 'j["calls"]["updated"]' 1

# A bad line: named, exit 2, nothing of the file written.
printf '%s\n%s\n' '{"call_id":"C9","offered_at":"2024-10-14T10:00:00+08:00"}' \
  '{"call_id":"C10","offered_at":"2024-10-14T10:00:00+08:00","talk_seconds":-1}' >"$DIR/bad.jsonl"
check bad 2 "$HOTLINE" telephony import "${S[@]}" "$DIR/bad.jsonl"
if [[ "$LAST" != *"第 2 行"*"talk_seconds"* ]]; then
  echo "FAIL bad-message: $LAST"
  failures=$((failures + 1))
fi
echo '{"call_id":"C9","offered_at":"2024-10-14T10:00:00+08:00"}' >"$DIR/c9.jsonl"
check c9 0 "$HOTLINE" telephony import "${S[@]}" "$DIR/c9.jsonl"
expect_json c9-new 'j["calls"]["inserted"]' 1
check missing 1 "$HOTLINE" telephony import "${S[@]}" "$DIR/nope.jsonl"

if [[ "$failures" -ne 0 ]]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "telephony CLI: all checks passed"

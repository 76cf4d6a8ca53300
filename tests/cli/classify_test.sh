#!/usr/bin/env bash
# The classifier in the store: `hotline classify retrain|models|activate|import|accuracy` on a
# demo city, then `hotline serve` loading the active version, recording the suggestion of a
# ticket registered over HTTP, and running without suggestions when the stored model is
# corrupt.
source "$(dirname "$0")/lib.sh" "$1"

check demo 0 "$HOTLINE" demo "${S[@]}" --tickets 300 --seed 5
check models-empty 0 "$HOTLINE" classify models "${S[@]}"
expect_contains models-empty-msg "还没有分类模型"
check retrain-too-few 1 "$HOTLINE" classify retrain "${S[@]}" --min-rows 100000
expect_contains retrain-too-few-msg "少于 --min-rows"

check retrain 0 "$HOTLINE" classify retrain "${S[@]}" --min-rows 50 --threads 1
[[ "$(last_json version)" == "1" && "$(last_json activated)" == "True" ]] ||
  { echo "FAIL retrain: $(echo "$LAST" | tail -1)"; failures=$((failures + 1)); }
# The demo's messages follow their category: far above chance (about 1/6 here).
python3 -c "import sys; sys.exit(0 if float('$(last_json accuracy)') >= 0.8 else 1)" ||
  { echo "FAIL retrain accuracy: $(last_json accuracy)"; failures=$((failures + 1)); }
check models 0 "$HOTLINE" classify models "${S[@]}"
expect_contains models-v1 "v1"
expect_contains models-active "启用"
check activate-unknown 1 "$HOTLINE" classify activate 9 "${S[@]}"
expect_contains activate-unknown-msg "没有这个分类模型版本"
check import-missing 1 "$HOTLINE" classify import --model "$DIR/none.model" "${S[@]}"
printf 'HLCLSF01 garbage' >"$DIR/bad.model"
check import-corrupt 1 "$HOTLINE" classify import --model "$DIR/bad.model" "${S[@]}"
check accuracy-bad-date 1 "$HOTLINE" classify accuracy "${S[@]}" --from 2024-13-01
check accuracy 0 "$HOTLINE" classify accuracy "${S[@]}" --from 2000-01-01 --to 2099-12-31
expect_contains accuracy-name "分类建议准确率"
[[ "$(last_json suggested)" == "0" && "$(last_json dispatched)" -gt 0 ]] ||
  { echo "FAIL accuracy before serve: $(echo "$LAST" | tail -1)"; failures=$((failures + 1)); }

# serve: loads version 1, records the suggestion of a ticket registered over HTTP.
start_serve() {  # start_serve LOG: sets PID and PORT
  : >"$1"
  "$HOTLINE" serve "${S[@]}" --listen 127.0.0.1:0 --jobs-interval 0 --threads 2 >"$1" 2>&1 &
  PID=$!
  PORT=""
  for _ in $(seq 1 200); do
    PORT="$(sed -nE 's|.*已启动: http://127.0.0.1:([0-9]+).*|\1|p' "$1")"
    [[ -n "$PORT" ]] && break
    sleep 0.1
  done
}
stop_serve() { kill -TERM "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; }
login() {
  curl -s -X POST "localhost:$PORT/api/v1/auth/login" -d '{"login":"'"$1"'","password":"hotline12345"}' |
    python3 -c "import json,sys; print(json.load(sys.stdin)['token'])"
}

start_serve "$DIR/serve1.log"
if [[ -z "$PORT" ]]; then
  echo "FAIL serve did not start: $(cat "$DIR/serve1.log")"
  failures=$((failures + 1))
else
  LAST="$(cat "$DIR/serve1.log")"
  expect_contains serve-loads-v1 "库中版本 v1"
  OP="$(login op1)"
  N="$(curl -s -X POST "localhost:$PORT/api/v1/tickets" -H "Authorization: Bearer $OP" \
        -d '{"type":"投诉","content":"三元区某工地夜间施工到凌晨，噪音严重影响周边居民休息。"}' |
       python3 -c "import json,sys; print(json.load(sys.stdin)['number'])")"
  LAST="$(curl -s "localhost:$PORT/api/v1/classify/accuracy?from=2000-01-01&to=2099-12-31" \
          -H "Authorization: Bearer $(login leader1)")"
  expect_contains http-accuracy "分类建议准确率"
  LAST="$(curl -s -o /dev/null -w '%{http_code}' \
          "localhost:$PORT/api/v1/classify/accuracy?from=2099-01-01&to=2000-01-01" \
          -H "Authorization: Bearer $(login leader1)")"
  expect_contains http-accuracy-bad-period "400"
  LAST="$(curl -s -o /dev/null -w '%{http_code}' "localhost:$PORT/api/v1/classify/accuracy" \
          -H "Authorization: Bearer $(login city-housing)")"
  expect_contains http-accuracy-unit-forbidden "403"
  ADMIN="$(login admin)"
  LAST="$(curl -s "localhost:$PORT/api/v1/classify/models" -H "Authorization: Bearer $ADMIN")"
  expect_contains http-models '"version":1'
  LAST="$(curl -s -o /dev/null -w '%{http_code}' "localhost:$PORT/api/v1/classify/models" \
          -H "Authorization: Bearer $OP")"
  expect_contains http-models-forbidden "403"
  LAST="$(curl -s -o /dev/null -w '%{http_code}' -X POST \
          "localhost:$PORT/api/v1/classify/models/99/activate" -H "Authorization: Bearer $ADMIN")"
  expect_contains http-activate-unknown "404"
  LAST="$(curl -s -o /dev/null -w '%{http_code}' -X POST \
          "localhost:$PORT/api/v1/classify/models/x/activate" -H "Authorization: Bearer $ADMIN")"
  expect_contains http-activate-bad "400"
  LAST="$(curl -s -o /dev/null -w '%{http_code}' -X POST \
          "localhost:$PORT/api/v1/classify/models/1/activate" -H "Authorization: Bearer $OP")"
  expect_contains http-activate-forbidden "403"
  LAST="$(curl -s -X POST "localhost:$PORT/api/v1/classify/models/1/activate" \
          -H "Authorization: Bearer $ADMIN")"
  expect_contains http-activate '"active":true'
  stop_serve
  # Dispatched (under its category, chosen by the dispatcher): now judged by the KPI.
  check dispatch 0 "$HOTLINE" ticket act "$N" dispatch "${S[@]}" --as disp1 \
    --set lead_unit=city-housing
  check accuracy-after 0 "$HOTLINE" classify accuracy "${S[@]}" --from 2000-01-01 --to 2099-12-31
  [[ "$(last_json suggested)" == "1" ]] ||
    { echo "FAIL suggestion not recorded: $(echo "$LAST" | tail -1)"; failures=$((failures + 1)); }
fi

# A corrupt stored model: serve says so and runs without suggestions.
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \
c.execute(\"UPDATE classifier_models SET model = X'48434C53' WHERE id = 1\"); c.commit()" "$DIR/h.db"
start_serve "$DIR/serve2.log"
if [[ -z "$PORT" ]]; then
  echo "FAIL serve with a corrupt model did not start: $(cat "$DIR/serve2.log")"
  failures=$((failures + 1))
else
  LAST="$(cat "$DIR/serve2.log")"
  expect_contains serve-corrupt-msg "已损坏"
  OP="$(login op1)"
  LAST="$(curl -s "localhost:$PORT/api/v1/classify?text=%E5%99%AA%E9%9F%B3" \
          -H "Authorization: Bearer $OP")"
  expect_contains classify-unavailable '"available":false'
  LAST="$(curl -s -o /dev/null -w '%{http_code}' -X POST "localhost:$PORT/api/v1/tickets" \
          -H "Authorization: Bearer $OP" -d '{"type":"咨询","content":"公租房怎么申请？"}')"
  expect_contains intake-still-works "201"
  stop_serve
fi
check activate-corrupt 1 "$HOTLINE" classify activate 1 "${S[@]}"
expect_contains activate-corrupt-msg "已损坏"

finish classify_test

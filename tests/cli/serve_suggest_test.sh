#!/usr/bin/env bash
# The server's suggestion recorder at shutdown, and the CLI's suggestion against the server's
# (docs/classify.md, "Suggestion accuracy"): `hotline serve` with the store's active model,
# 60 tickets registered over HTTP by 8 concurrent clients, SIGTERM at once after the last
# reply. Every registration must end recorded, skipped or counted as dropped (the counters
# the server prints when it stops, and shows in /metrics), every recorded row whole (three
# suggestions), none half-written. Then `hotline ticket create` (which loads only what
# prediction needs) must record exactly what the server recorded for the same text.
# Real SQLite, real processes, real HTTP on the loopback.
source "$(dirname "$0")/lib.sh" "$1"
HOTLINE="$(realpath "$HOTLINE")"

sql() {  # sql QUERY: the first column of the first row
  python3 -c "import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); \
print(r[0] if r else '')" "$DIR/h.db" "$1"
}
fail() {
  echo "FAIL $1"
  failures=$((failures + 1))
}

check demo 0 "$HOTLINE" demo "${S[@]}" --tickets 300 --seed 5
check retrain 0 "$HOTLINE" classify retrain "${S[@]}" --min-rows 50 --threads 1
[[ "$(sql 'SELECT count(*) FROM classify_suggestions')" == "0" ]] || fail "rows before serve"

: >"$DIR/serve.log"
(cd "$DIR" && exec "$HOTLINE" serve "${S[@]}" --listen 127.0.0.1:0 --jobs-interval 0 \
  --threads 4 >"$DIR/serve.log" 2>"$DIR/serve.err") &
PID=$!
PORT=""
for _ in $(seq 1 300); do
  PORT="$(sed -nE 's|.*已启动: http://127.0.0.1:([0-9]+).*|\1|p' "$DIR/serve.log")"
  [[ -n "$PORT" ]] && break
  sleep 0.1
done
if [[ -z "$PORT" ]]; then
  fail "serve did not start: $(cat "$DIR/serve.log" "$DIR/serve.err")"
  kill -TERM "$PID" 2>/dev/null
  wait "$PID" 2>/dev/null
  finish serve_suggest_test
  exit 1
fi

# 60 registrations from 8 clients; prints the ticket numbers, one a line.
python3 - "$PORT" >"$DIR/numbers" <<'EOF'
import concurrent.futures, json, sys, urllib.request
port = sys.argv[1]
def call(method, path, body=None, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, json.loads(r.read())
_, login = call("POST", "/api/v1/auth/login", {"login": "op1", "password": "hotline12345"})
token = login["token"]
texts = ["三元区列东街{}号附近工地夜间施工到凌晨，噪音严重影响周边居民休息，请尽快处理。",
         "咨询公租房申请条件和需要准备的材料，本人在三明工作{}年，没有自有住房。",
         "某公司拖欠我们{}名工人三个月工资，老板联系不上，请劳动监察部门帮助追讨。"]
def register(i):
    status, t = call("POST", "/api/v1/tickets",
                     {"type": "投诉", "region": "3", "content": texts[i % 3].format(i + 1)}, token)
    assert status == 201, (status, t)
    return t["number"]
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    for n in pool.map(register, range(60)):
        print(n)
EOF
rc=$?
[[ $rc -eq 0 && "$(wc -l <"$DIR/numbers")" == "60" ]] || fail "registrations: exit $rc"
# The recorder's counters are in /metrics (scraped before the stop; the worker may still be busy).
curl -s "localhost:$PORT/metrics" >"$DIR/metrics"
for name in recorded skipped failed dropped; do
  grep -q "^hotline_classify_suggestions_${name}_total [0-9]" "$DIR/metrics" ||
    fail "metrics lack hotline_classify_suggestions_${name}_total"
done
grep -q "^hotline_classify_suggestions_queued [0-9]" "$DIR/metrics" || fail "metrics lack queued"
kill -TERM "$PID"
wait "$PID"
rc=$?
[[ $rc -eq 0 ]] || fail "serve exit $rc: $(tail -3 "$DIR/serve.err")"

# 分类建议: 记录 R，跳过 S，失败 F，丢弃 D（B 个事务）
line="$(grep '^分类建议: 记录' "$DIR/serve.log")"
read -r n_rec n_skip n_fail n_drop n_tx <<<"$(echo "$line" | sed -E 's/[^0-9]+/ /g')"
[[ -n "$line" ]] || fail "no counters at stop: $(cat "$DIR/serve.log")"
[[ "$((n_rec + n_skip + n_fail + n_drop))" == "60" ]] || fail "60 registrations, counted $line"
[[ "$n_fail" == "0" ]] || fail "failures at stop: $line $(cat "$DIR/serve.err")"
[[ "$n_rec" -ge 1 && "$n_tx" -ge 1 && "$n_tx" -le "$n_rec" ]] || fail "recorded in batches: $line"
rows="$(sql 'SELECT count(*) FROM classify_suggestions')"
[[ "$rows" == "$n_rec" ]] || fail "rows $rows, recorded $n_rec"
# Every row whole: three suggestions, a first category, the model version.
whole="$(sql "SELECT count(*) FROM classify_suggestions WHERE json_array_length(suggestions) = 3 \
AND category1 IS NOT NULL AND model_version = 1")"
[[ "$whole" == "$rows" ]] || fail "whole rows $whole of $rows"
passes=$((passes + 1))

# The CLI records exactly what the server recorded for the same text and region.
text="三元区列东街1号附近工地夜间施工到凌晨，噪音严重影响周边居民休息，请尽快处理。"
server="$(sql "SELECT s.suggestions || '|' || ifnull(s.unit1, '') FROM classify_suggestions s \
JOIN tickets t ON t.id = s.ticket_id WHERE json_extract(t.doc, '$.content') = '$text'")"
(cd "$DIR" && "$HOTLINE" ticket create "${S[@]}" --as op1 --type 投诉 --region 3 \
  --content "$text" --json >"$DIR/cli.json" 2>"$DIR/cli.err")
rc=$?
[[ $rc -eq 0 && ! -s "$DIR/cli.err" ]] || fail "cli create: exit $rc: $(cat "$DIR/cli.err")"
cli_number="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['number'])" \
  "$DIR/cli.json")"
cli="$(sql "SELECT s.suggestions || '|' || ifnull(s.unit1, '') FROM classify_suggestions s \
JOIN tickets t ON t.id = s.ticket_id WHERE t.number = '$cli_number'")"
[[ -n "$cli" && "$cli" == "$server" ]] || fail "CLI suggestion differs from the server's: '$cli' vs '$server'"
passes=$((passes + 1))

finish serve_suggest_test

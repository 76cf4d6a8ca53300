#!/usr/bin/env bash
# Tickets registered by the CLI get the classifier's suggestion recorded too (issue 6, "At
# intake"): `hotline ticket create` on a demo city without a model (ticket created, one message,
# exit 0), with the store's active version (suggestion row written, counted by `classify
# accuracy` once the ticket is dispatched), with a corrupt stored model and with --model files
# that are missing, corrupt or good. Real SQLite, real processes.
source "$(dirname "$0")/lib.sh" "$1"
# Commands run from the temporary directory (no var/classify.model there): an absolute path.
HOTLINE="$(realpath "$HOTLINE")"

suggestions() {  # the number of recorded suggestions in the store
  python3 -c "import sqlite3,sys; \
print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM classify_suggestions').fetchone()[0])" \
    "$DIR/h.db"
}
tickets() {
  python3 -c "import sqlite3,sys; \
print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM tickets').fetchone()[0])" "$DIR/h.db"
}
create() {  # create OUT_PREFIX EXTRA_ARGS...: stdout to OUT_PREFIX.out, stderr to OUT_PREFIX.err
  local out="$1"
  shift
  "$HOTLINE" ticket create "${S[@]}" --as op1 --type 投诉 --region 3 \
    --category 环境保护/污染防治/噪声污染 \
    --content "三元区某工地夜间施工到凌晨，噪音严重影响周边居民休息，请尽快处理。" \
    --json "$@" >"$out.out" 2>"$out.err"
}
fail() {
  echo "FAIL $1"
  failures=$((failures + 1))
}
json_of() {  # json_of FILE EXPR: a Python expression over the ticket JSON `j`
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"
}

check demo 0 "$HOTLINE" demo "${S[@]}" --tickets 300 --seed 5
base_tickets="$(tickets)"
[[ "$(suggestions)" == "0" ]] || fail "the demo records no suggestion: $(suggestions)"

# 1. No model anywhere: the ticket is created, stderr says once that no suggestion was recorded.
(cd "$DIR" && create "$DIR/none")
rc=$?
[[ $rc -eq 0 ]] || fail "no model: exit $rc: $(cat "$DIR/none.err")"
[[ "$(grep -c '未记录分类建议' "$DIR/none.err")" == "1" ]] ||
  fail "no model: message once: $(cat "$DIR/none.err")"
[[ "$(json_of "$DIR/none.out" "j['classify_suggestion']")" == "None" ]] ||
  fail "no model: suggestion in JSON: $(cat "$DIR/none.out")"
N0="$(json_of "$DIR/none.out" "j['number']")"
check none-show 0 "$HOTLINE" ticket show "$N0" "${S[@]}"
[[ "$(tickets)" == "$((base_tickets + 1))" && "$(suggestions)" == "0" ]] ||
  fail "no model: tickets $(tickets), suggestions $(suggestions)"

# 2. The store's active version: the suggestion is recorded in the same process.
check retrain 0 "$HOTLINE" classify retrain "${S[@]}" --min-rows 50 --threads 1
[[ "$(last_json version)" == "1" && "$(last_json activated)" == "True" ]] ||
  fail "retrain: $(echo "$LAST" | tail -1)"
check accuracy-before 0 "$HOTLINE" classify accuracy "${S[@]}" --from 2000-01-01 --to 2099-12-31
dispatched_before="$(last_json dispatched)"
[[ "$(last_json suggested)" == "0" ]] || fail "suggested before: $(echo "$LAST" | tail -1)"

(cd "$DIR" && create "$DIR/v1")
rc=$?
[[ $rc -eq 0 ]] || fail "v1: exit $rc: $(cat "$DIR/v1.err")"
[[ ! -s "$DIR/v1.err" ]] || fail "v1: unexpected stderr: $(cat "$DIR/v1.err")"
[[ "$(json_of "$DIR/v1.out" "j['classify_suggestion']['model_version']")" == "1" ]] ||
  fail "v1: model version: $(cat "$DIR/v1.out")"
[[ "$(json_of "$DIR/v1.out" "len(j['classify_suggestion']['suggestions'])")" == "3" ]] ||
  fail "v1: three suggestions: $(cat "$DIR/v1.out")"
# The demo's noise complaints are 环境保护 (噪声污染): the model learnt it from the demo.
[[ "$(json_of "$DIR/v1.out" "j['classify_suggestion']['suggestions'][0]['label']")" == "环境保护" ]] ||
  fail "v1: first suggestion: $(cat "$DIR/v1.out")"
[[ "$(json_of "$DIR/v1.out" "j['classify_suggestion']['unit_name'] is not None")" == "True" ]] ||
  fail "v1: the directory's unit: $(cat "$DIR/v1.out")"
N1="$(json_of "$DIR/v1.out" "j['number']")"
[[ "$(suggestions)" == "1" ]] || fail "v1: suggestion rows $(suggestions)"
# The text form shows the suggestion to the operator.
check text-form 0 "$HOTLINE" ticket create "${S[@]}" --as op1 --type 咨询 \
  --content "请问公租房怎么申请，需要准备哪些材料？"
expect_contains text-form-suggestion "分类建议"
[[ "$(suggestions)" == "2" ]] || fail "text form: suggestion rows $(suggestions)"

# Dispatched: judged by the accuracy KPI (the CLI ticket counts, with its suggestion).
check dispatch 0 "$HOTLINE" ticket act "$N1" dispatch "${S[@]}" --as disp1 \
  --set lead_unit=city-environment
check accuracy-after 0 "$HOTLINE" classify accuracy "${S[@]}" --from 2000-01-01 --to 2099-12-31
[[ "$(last_json suggested)" == "1" && "$(last_json judged)" == "1" &&
  "$(last_json dispatched)" == "$((dispatched_before + 1))" ]] ||
  fail "accuracy after: $(echo "$LAST" | tail -1)"

# 3. --model FILE missing or corrupt: created, exit 0, message; nothing recorded.
(cd "$DIR" && create "$DIR/missing" --model "$DIR/none.model")
rc=$?
[[ $rc -eq 0 ]] || fail "missing model file: exit $rc"
[[ "$(grep -c '未记录分类建议' "$DIR/missing.err")" == "1" ]] ||
  fail "missing model file: message: $(cat "$DIR/missing.err")"
printf 'HLCLSF01 garbage' >"$DIR/bad.model"
(cd "$DIR" && create "$DIR/badfile" --model "$DIR/bad.model")
rc=$?
[[ $rc -eq 0 ]] || fail "corrupt model file: exit $rc"
[[ "$(grep -c '未记录分类建议' "$DIR/badfile.err")" == "1" ]] ||
  fail "corrupt model file: message: $(cat "$DIR/badfile.err")"
[[ "$(tickets)" == "$((base_tickets + 5))" && "$(suggestions)" == "2" ]] ||
  fail "after bad files: tickets $(tickets), suggestions $(suggestions)"

# 4. A good --model FILE (the stored version's bytes): recorded, model version null.
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \
open(sys.argv[2],'wb').write(c.execute('SELECT model FROM classifier_models WHERE id = 1').fetchone()[0])" \
  "$DIR/h.db" "$DIR/good.model"
# 5. The stored model corrupted behind the store's back: created, exit 0, message.
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \
c.execute(\"UPDATE classifier_models SET model = X'48434C53' WHERE id = 1\"); c.commit()" "$DIR/h.db"
(cd "$DIR" && create "$DIR/corrupt")
rc=$?
[[ $rc -eq 0 ]] || fail "corrupt stored model: exit $rc"
[[ "$(grep -c '已损坏' "$DIR/corrupt.err")" == "1" &&
  "$(grep -c '未记录分类建议' "$DIR/corrupt.err")" == "1" ]] ||
  fail "corrupt stored model: message: $(cat "$DIR/corrupt.err")"
N5="$(json_of "$DIR/corrupt.out" "j['number']")"
check corrupt-show 0 "$HOTLINE" ticket show "$N5" "${S[@]}"
[[ "$(suggestions)" == "2" ]] || fail "corrupt stored model: suggestion rows $(suggestions)"

(cd "$DIR" && create "$DIR/goodfile" --model "$DIR/good.model")
rc=$?
[[ $rc -eq 0 && ! -s "$DIR/goodfile.err" ]] || fail "good model file: exit $rc: $(cat "$DIR/goodfile.err")"
[[ "$(json_of "$DIR/goodfile.out" "j['classify_suggestion']['model_version']")" == "None" &&
  "$(json_of "$DIR/goodfile.out" "len(j['classify_suggestion']['suggestions'])")" == "3" ]] ||
  fail "good model file: $(cat "$DIR/goodfile.out")"
[[ "$(suggestions)" == "3" ]] || fail "good model file: suggestion rows $(suggestions)"

# Bad input is still refused with nothing written (no ticket, no suggestion).
check bad-type 1 "$HOTLINE" ticket create "${S[@]}" --as op1 --type 不存在 --content "测试" \
  --model "$DIR/good.model"
[[ "$(tickets)" == "$((base_tickets + 7))" && "$(suggestions)" == "3" ]] ||
  fail "bad input: tickets $(tickets), suggestions $(suggestions)"

finish intake_suggest_test

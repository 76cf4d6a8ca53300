#!/usr/bin/env bash
# `hotline hot-topics` on a demo city plus five reports of one building site registered
# today: they come out as a topic with their numbers, in text and in JSON; bad arguments
# exit 2.
source "$(dirname "$0")/lib.sh" "$1"

TODAY="$(date -u -d '+8 hours' +%F)"  # the centre's local date (UTC+8)
check demo 0 "$HOTLINE" demo "${S[@]}" --tickets 60 --seed 7
NUMBERS=()
for i in 1 2 3 4 5; do
  check "create-$i" 0 "$HOTLINE" ticket create "${S[@]}" --as op1 --type 投诉 --json \
    --title "丽发新城工地夜间施工噪音扰民$i" --address 丽发新城 \
    --content "丽发新城旁边的工地每天晚上施工到凌晨，打桩噪音很大，睡不着觉。第${i}次反映。"
  # (stderr is in $LAST too: without a model, a line says no suggestion was recorded)
  NUMBERS+=("$(echo "$LAST" | sed '/^hotline: /d' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])')")
done
check text 0 "$HOTLINE" hot-topics "${S[@]}" --from "$TODAY" --to "$TODAY"
expect_contains text-title "热点问题 $TODAY 至 $TODAY"
expect_contains text-place "丽发新城"
expect_contains text-example "${NUMBERS[4]}"
check json 0 "$HOTLINE" hot-topics "${S[@]}" --from "$TODAY" --to "$TODAY" --format json
echo "$LAST" | tail -1 | python3 -c "
import json, sys
j = json.load(sys.stdin)
want = set(sys.argv[1:])
assert j['from'] == j['to'] == '$TODAY', j
hit = [t for t in j['topics'] if want <= set(t['numbers'])]
assert hit and hit[0]['count'] >= 5 and hit[0]['explanation'], j
" "${NUMBERS[@]}" || { echo "FAIL json topics"; failures=$((failures + 1)); }
check region 0 "$HOTLINE" hot-topics "${S[@]}" --region 三元区 --format json
check bad-date 2 "$HOTLINE" hot-topics "${S[@]}" --from 2024-13-01
check bad-order 2 "$HOTLINE" hot-topics "${S[@]}" --from 2024-03-02 --to 2024-03-01
check bad-format 2 "$HOTLINE" hot-topics "${S[@]}" --format xml
check bad-region 2 "$HOTLINE" hot-topics "${S[@]}" --region 不存在区
check bad-category 2 "$HOTLINE" hot-topics "${S[@]}" --category 不存在/分类
check no-store 1 "$HOTLINE" hot-topics --store "$DIR/none.db"

finish hot_topics_test

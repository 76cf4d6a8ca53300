#!/usr/bin/env bash
# `hotline programme` on a demo city: a campaign over the demo's environment requests with
# its indicators (its volume equals its tickets: every member was registered in the period),
# a leader day, the difficult-case list and the QA ranking; bad input exits 2, a refused role 1.
source "$(dirname "$0")/lib.sh" "$1"

TO="$(date +%F)"
FROM="$(date -d '-120 days' +%F)"
check demo 0 "$HOTLINE" demo "${S[@]}" --tickets 120 --seed 7
check campaign-add 0 "$HOTLINE" programme campaign add "${S[@]}" --as sup1 --name 环境专项 \
  --from "$FROM" --to "$TO" --category 环境保护 --json
ID="$(last_json id)"
N="$(last_json tickets)"
[[ "$N" -gt 0 ]] || { echo "FAIL campaign matched no ticket"; failures=$((failures + 1)); }
check campaign-show 0 "$HOTLINE" programme campaign show "$ID" "${S[@]}" --as leader1
expect_contains campaign-show-rate "按时办结率"
RECEIVED="$(echo "$LAST" | tail -1 | python3 -c "import json,sys; j=json.load(sys.stdin); print([k for k in j['kpis'] if k['id']=='received'][0]['numerator'])")"
[[ "$RECEIVED" == "$N" ]] || { echo "FAIL received $RECEIVED != tickets $N"; failures=$((failures + 1)); }
check campaign-list 0 "$HOTLINE" programme campaign list "${S[@]}"
expect_contains campaign-list-name "环境专项"
check campaign-duplicate 1 "$HOTLINE" programme campaign add "${S[@]}" --as sup1 --name 环境专项 \
  --from "$FROM" --to "$TO"
check campaign-bad-date 2 "$HOTLINE" programme campaign add "${S[@]}" --name x --from 2024-13-01 --to "$TO"
check campaign-bad-category 2 "$HOTLINE" programme campaign add "${S[@]}" --name x --from "$FROM" \
  --to "$TO" --category 无此分类
check campaign-unit-refused 1 "$HOTLINE" programme campaign list "${S[@]}" --as city-housing
check campaign-show-missing 1 "$HOTLINE" programme campaign show 999 "${S[@]}"

check day-add 0 "$HOTLINE" programme leader-day add "${S[@]}" --as leader1 --date "$TO" \
  --leader 市住建局局长 --topic 物业管理 --unit city-housing
check day-list 0 "$HOTLINE" programme leader-day list "${S[@]}" --as op1
expect_contains day-list-topic "物业管理"
check day-bad-unit 2 "$HOTLINE" programme leader-day add "${S[@]}" --date "$TO" --leader x --topic y \
  --unit nope
check difficult-list 0 "$HOTLINE" programme difficult list "${S[@]}" --as sup1
check difficult-unit-refused 1 "$HOTLINE" programme difficult list "${S[@]}" --as city-housing
check qa-ranking 0 "$HOTLINE" programme qa ranking "${S[@]}" --as qa1 --from "$FROM" --to "$TO"
check qa-reversed 2 "$HOTLINE" programme qa ranking "${S[@]}" --from "$TO" --to "$FROM"
finish programme_test

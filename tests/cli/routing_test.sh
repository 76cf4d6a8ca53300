#!/usr/bin/env bash
# `hotline routing check|list|history|add|remove` on a demo city: check lists gaps and
# conflicts with a last line of JSON and exits 0 when clean, 2 when not, 1 on error; every
# change through the CLI is kept in the routing history.
source "$(dirname "$0")/lib.sh" "$1"

check demo 0 "$HOTLINE" demo "${S[@]}" --tickets 5 --seed 3
check list 0 "$HOTLINE" routing list "${S[@]}"
expect_contains list-fallback "兜底单位"

# The demo directory: whatever it holds, the last line is the JSON summary.
"$HOTLINE" routing check "${S[@]}" >"$DIR/out" 2>&1
code=$?
LAST="$(cat "$DIR/out")"
if [[ "$code" -ne 0 && "$code" -ne 2 ]]; then
  echo "FAIL check-demo: exit $code"
  failures=$((failures + 1))
fi
conflicts0="$(last_json conflicts)"

# A catch-all rule closes every gap.
check add-catch-all 0 "$HOTLINE" routing add "${S[@]}" --lead city-office --priority -1000 \
  --note 兜底规则
if [[ "$conflicts0" == "0" ]]; then
  check check-clean 0 "$HOTLINE" routing check "${S[@]}"
else
  check check-clean 2 "$HOTLINE" routing check "${S[@]}"
fi
[[ "$(last_json gaps)" == "0" ]] || { echo "FAIL gaps after catch-all: $(echo "$LAST" | tail -1)"; failures=$((failures + 1)); }

# Two rules for the same category, region and priority with different units: a conflict.
CAT=城乡建设/市政设施/路灯照明
check add-a 0 "$HOTLINE" routing add "${S[@]}" --category "$CAT" --lead city-housing --priority 7
check add-b 0 "$HOTLINE" routing add "${S[@]}" --category "$CAT" --lead city-transport --priority 7
expect_contains add-b-warns "冲突"
check check-conflict 2 "$HOTLINE" routing check "${S[@]}"
expect_contains check-conflict-line "冲突: 规则"
[[ "$(last_json conflicts)" == "$((conflicts0 + 1))" ]] || { echo "FAIL conflict count: $(echo "$LAST" | tail -1)"; failures=$((failures + 1)); }

check history 0 "$HOTLINE" routing history "${S[@]}"
expect_contains history-count "共 3 条修改记录"
expect_contains history-who "cli"
B_ID="$(echo "$LAST" | grep 'create' | tail -1 | sed -E 's/.*规则 #([0-9]+).*/\1/')"
check remove 0 "$HOTLINE" routing remove "$B_ID" "${S[@]}"
check check-after-remove "$([[ "$conflicts0" == "0" ]] && echo 0 || echo 2)" \
  "$HOTLINE" routing check "${S[@]}"
check history-after-remove 0 "$HOTLINE" routing history "${S[@]}"
expect_contains history-delete "delete"

# Errors: exit 1 with a message.
check missing-store 1 "$HOTLINE" routing check --store "$DIR/none.db"
check remove-unknown 1 "$HOTLINE" routing remove 9999 "${S[@]}"
expect_contains remove-unknown-msg "不存在"
check add-unknown-unit 1 "$HOTLINE" routing add "${S[@]}" --lead no-such-unit
check add-unknown-category 1 "$HOTLINE" routing add "${S[@]}" --lead city-housing --category 没有/这个

finish routing_test

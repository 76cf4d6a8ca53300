#!/usr/bin/env bash
# End-to-end test of the `hotline` command: builds a demo city, walks one ticket from
# registration to archive by the roles that perform each step, and checks that bad input
# fails cleanly with a message and a non-zero exit, and that rebuild equals the live state.
source "$(dirname "$0")/lib.sh" "$1"

check demo 0 "$HOTLINE" demo "${S[@]}" --tickets 60 --seed 7
expect_contains demo-logins "disp1"
check demo-again 1 "$HOTLINE" demo "${S[@]}" --tickets 1
expect_contains demo-again-message "已存在"

check create 0 "$HOTLINE" ticket create "${S[@]}" --as op1 --type 投诉 --content "列东街路灯不亮" \
  --phone 13800001111 --region 三元区城关街道 --category 城乡建设/市政设施/路灯照明 --json
# No classifier model in the store: the ticket is registered and stderr says so once.
expect_contains create-no-suggestion "未记录分类建议"
N="$(echo "$LAST" | sed '/^hotline: /d' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])')"
[[ "$N" =~ ^SM[0-9]{14}$ ]] || { echo "FAIL number format: $N"; failures=$((failures + 1)); }

check dispatch 0 "$HOTLINE" ticket act "$N" dispatch "${S[@]}" --as disp1 --set lead_unit=city-housing
check sign-wrong-unit 1 "$HOTLINE" ticket act "$N" sign "${S[@]}" --as city-transport
expect_contains sign-wrong-unit-msg "不是工单"
check sign 0 "$HOTLINE" ticket act "$N" sign "${S[@]}" --as city-housing
check stale-version 1 "$HOTLINE" ticket act "$N" urge "${S[@]}" --as sup1 --version 2
expect_contains stale-version-msg "已被他人修改"
check reply 0 "$HOTLINE" ticket act "$N" reply "${S[@]}" --as city-housing --set reply=已修复
check review 0 "$HOTLINE" ticket act "$N" review_pass "${S[@]}" --as disp1
check callback-unsatisfied 0 "$HOTLINE" ticket act "$N" callback "${S[@]}" --as cb1 \
  --set reached=1 --set resolved=0 --set satisfaction=不满意
check rehandle 0 "$HOTLINE" ticket act "$N" rehandle "${S[@]}" --as cb1 --set reason=仍未修复
check sign2 0 "$HOTLINE" ticket act "$N" sign "${S[@]}" --as city-housing
check reply2 0 "$HOTLINE" ticket act "$N" reply "${S[@]}" --as city-housing --set reply=已更换灯具
check review2 0 "$HOTLINE" ticket act "$N" review_pass "${S[@]}" --as disp1
check callback 0 "$HOTLINE" ticket act "$N" callback "${S[@]}" --as cb1 \
  --set reached=1 --set resolved=1 --set satisfaction=满意
check archive 0 "$HOTLINE" ticket act "$N" archive "${S[@]}" --as system --json
STATE="$(echo "$LAST" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["state"], j["rehandle_count"], j["version"])')"
[[ "$STATE" == "archived 1 12" ]] || { echo "FAIL final state: $STATE"; failures=$((failures + 1)); }
check show 0 "$HOTLINE" ticket show "$N" "${S[@]}"
expect_contains show-history "重办"
check illegal 1 "$HOTLINE" ticket act "$N" sign "${S[@]}" --as city-housing
expect_contains illegal-msg "已归档"

check unknown-ticket 1 "$HOTLINE" ticket show SM000 "${S[@]}"
check unknown-action 1 "$HOTLINE" ticket act "$N" fly "${S[@]}" --as disp1
check bad-type 1 "$HOTLINE" ticket create "${S[@]}" --as op1 --type 乱写 --content x
check bad-set 1 "$HOTLINE" ticket act "$N" note "${S[@]}" --as disp1 --set novalue
check bad-login 1 "$HOTLINE" ticket create "${S[@]}" --as nobody --type 咨询 --content x
check missing-store 1 "$HOTLINE" ticket list --store "$DIR/none.db"
check missing-args 106 "$HOTLINE" ticket create "${S[@]}" --as op1
check list-overdue 0 "$HOTLINE" ticket list "${S[@]}" --overdue --json
check list-unit 0 "$HOTLINE" ticket list "${S[@]}" --unit city-housing
check verify 0 "$HOTLINE" store verify "${S[@]}"
expect_contains verify-msg "0 件工单"
check rebuild 0 "$HOTLINE" store rebuild "${S[@]}"
check summary 0 "$HOTLINE" store summary "${S[@]}"
expect_contains summary-count "工单 61 件"

finish walk_test

#!/usr/bin/env bash
# `hotline report` and `hotline assess` on a demo city: every kind of report as HTML and
# xlsx (an xlsx is a zip), the assessment table with a last line of JSON, the scheme shown,
# stored and refused when invalid; bad arguments exit 2.
source "$(dirname "$0")/lib.sh" "$1"

TODAY="$(date +%F)"
MONTH="${TODAY:0:7}"
check demo 0 "$HOTLINE" demo "${S[@]}" --tickets 80 --seed 5
for kind in daily weekly monthly; do
  check "report-$kind-html" 0 "$HOTLINE" report "${S[@]}" --kind "$kind" --date "$TODAY" \
    --format html --out "$DIR/$kind.html"
  grep -q "考核指标" "$DIR/$kind.html" || { echo "FAIL $kind.html lacks 考核指标"; failures=$((failures + 1)); }
  check "report-$kind-xlsx" 0 "$HOTLINE" report "${S[@]}" --kind "$kind" --date "$TODAY" \
    --format xlsx --out "$DIR/$kind.xlsx"
  [[ "$(head -c 2 "$DIR/$kind.xlsx")" == "PK" ]] || { echo "FAIL $kind.xlsx is not a zip"; failures=$((failures + 1)); }
done
grep -q "考核排名" "$DIR/monthly.html" || { echo "FAIL monthly.html lacks 考核排名"; failures=$((failures + 1)); }
check report-period 0 "$HOTLINE" report "${S[@]}" --period "$MONTH" --format xlsx --out "$DIR/p.xlsx"
check report-theme 0 "$HOTLINE" report "${S[@]}" --kind theme --date "$TODAY" \
  --category 城乡建设 --format html --out "$DIR/theme.html"
grep -q "专题报告" "$DIR/theme.html" || { echo "FAIL theme.html lacks 专题报告"; failures=$((failures + 1)); }
check report-theme-no-category 2 "$HOTLINE" report "${S[@]}" --kind theme --date "$TODAY" \
  --format html --out "$DIR/x.html"
check report-bad-kind 2 "$HOTLINE" report "${S[@]}" --kind yearly --date "$TODAY" --out "$DIR/x"
check report-bad-date 2 "$HOTLINE" report "${S[@]}" --date 2024-13-01 --out "$DIR/x"

check assess-month 0 "$HOTLINE" assess "${S[@]}" --month "$MONTH"
expect_contains assess-level "市直部门"
echo "$LAST" | tail -1 | python3 -c "import json,sys; j=json.load(sys.stdin); assert j['period']=='$MONTH' and j['units'], j" \
  || { echo "FAIL assess JSON"; failures=$((failures + 1)); }
check assess-quarter 0 "$HOTLINE" assess "${S[@]}" --quarter "${TODAY:0:4}Q1"
check assess-none 2 "$HOTLINE" assess "${S[@]}"
check assess-bad 2 "$HOTLINE" assess "${S[@]}" --month 2024-13

check scheme-default 0 "$HOTLINE" assess scheme "${S[@]}"
expect_contains scheme-weights '"weight":35.0'
echo '{"name":"试行","components":[{"id":"sat","kpi":"satisfaction_rate","weight":100}]}' >"$DIR/s.json"
check scheme-set 0 "$HOTLINE" assess scheme "${S[@]}" --set "$DIR/s.json"
expect_contains scheme-stored '"试行"'
echo '{"components":[{"id":"sat","kpi":"satisfaction_rate","weight":90}]}' >"$DIR/bad.json"
check scheme-bad 2 "$HOTLINE" assess scheme "${S[@]}" --set "$DIR/bad.json"
check assess-custom 0 "$HOTLINE" assess "${S[@]}" --month "$MONTH"
expect_contains assess-custom-name "试行"

finish report_test

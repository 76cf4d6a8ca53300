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
# PDF: the HTML report printed by Debian's chromium (skipped, and said so, when it is absent).
if command -v chromium >/dev/null 2>&1 || [[ -n "${HOTLINE_CHROMIUM:-}" ]]; then
  check report-pdf 0 "$HOTLINE" report "${S[@]}" --period "$MONTH" --format pdf --out "$DIR/m.pdf"
  [[ "$(head -c 5 "$DIR/m.pdf")" == "%PDF-" ]] || { echo "FAIL m.pdf is not a PDF"; failures=$((failures + 1)); }
  if command -v pdftotext >/dev/null 2>&1; then
    pdftotext "$DIR/m.pdf" "$DIR/m.txt"  # (not piped to grep -q: pipefail would see SIGPIPE)
    grep -q "考核指标" "$DIR/m.txt" || { echo "FAIL m.pdf lacks 考核指标"; failures=$((failures + 1)); }
  fi
  # The final accounts rendered as PDF too (a clean disclosure kept with the fiscal tests).
  SEED="$(dirname "$0")/../../src/domain/fiscal/testdata/clean_2024.txt"
  if [[ -f "$SEED" ]]; then
    check fiscal-render-pdf 0 "$HOTLINE" fiscal render "$SEED" --out "$DIR/fiscal" --formats html,pdf
    [[ "$(head -c 5 "$DIR/fiscal/disclosure.pdf")" == "%PDF-" ]] || { echo "FAIL disclosure.pdf"; failures=$((failures + 1)); }
  fi
else
  echo "SKIP report-pdf: chromium is not installed"
fi
HOTLINE_CHROMIUM=/nonexistent/chromium check report-pdf-no-browser 1 "$HOTLINE" report "${S[@]}" \
  --period "$MONTH" --format pdf --out "$DIR/none.pdf"
expect_contains report-pdf-no-browser-hint "chromium"
[[ ! -e "$DIR/none.pdf" ]] || { echo "FAIL none.pdf was written"; failures=$((failures + 1)); }
check report-bad-format 2 "$HOTLINE" report "${S[@]}" --period "$MONTH" --format doc --out "$DIR/x"
# The final accounts' self-evaluation sheets filled from this store's KPIs of the year: the
# dispatch accuracy written into the sheet is the one `hotline kpi` computes.
CLEAN="$(dirname "$0")/../../src/domain/fiscal/testdata/clean_2024.txt"
YEAR="${TODAY:0:4}"
"$HOTLINE" fiscal score "$CLEAN" "${S[@]}" --year "$YEAR" --format json >"$DIR/score.json" 2>"$DIR/score.err"
rc=$?
[[ $rc -eq 0 ]] || { echo "FAIL fiscal-score-store: exit $rc"; cat "$DIR/score.err"; failures=$((failures + 1)); }
grep -q "已从" "$DIR/score.err" || { echo "FAIL fiscal-score-store: no fill message"; failures=$((failures + 1)); }
check kpi-year 0 "$HOTLINE" kpi "${S[@]}" --from "$YEAR-01-01" --to "$YEAR-12-31"
echo "$LAST" | tail -1 >"$DIR/kpi.json"
python3 - "$DIR/score.json" "$DIR/kpi.json" <<'PY' || { echo "FAIL fiscal-score-store: actual differs from the KPI"; failures=$((failures + 1)); }
import json, sys
score = json.load(open(sys.argv[1]))
kpis = json.load(open(sys.argv[2]))["kpis"]
acc = kpis["dispatch_accuracy"]
assert acc.get("denominator"), acc
actuals = [i["actual"] for s in score["sheets"] for i in s["indicators"] if "转办准确率" in i["name"]]
assert actuals and all(abs(float(a) - acc["value"]) < 0.006 for a in actuals), (actuals, acc)
PY
check fiscal-score-store-no-year 2 "$HOTLINE" fiscal score "$CLEAN" "${S[@]}"
check fiscal-score-store-missing 2 "$HOTLINE" fiscal score "$CLEAN" --store "$DIR/none.db" --year "$YEAR"
check report-period 0 "$HOTLINE" report "${S[@]}" --period "$MONTH" --format xlsx --out "$DIR/p.xlsx"
check report-theme 0 "$HOTLINE" report "${S[@]}" --kind theme --date "$TODAY" \
  --category 城乡建设 --format html --out "$DIR/theme.html"
grep -q "专题报告" "$DIR/theme.html" || { echo "FAIL theme.html lacks 专题报告"; failures=$((failures + 1)); }
check report-theme-no-category 2 "$HOTLINE" report "${S[@]}" --kind theme --date "$TODAY" \
  --format html --out "$DIR/x.html"
# A campaign's thematic report: its period, its tickets' KPIs (the same as the campaign's own
# indicators), the campaign's section; --campaign with another kind, an unknown campaign, a
# role that may not view campaigns are refused.
FROM="$(date -d '-60 days' +%F)"
check campaign-add 0 "$HOTLINE" programme campaign add "${S[@]}" --as sup1 --name 城建专项 \
  --from "$FROM" --to "$TODAY" --category 城乡建设 --json
CID="$(last_json id)"
check campaign-show 0 "$HOTLINE" programme campaign show "$CID" "${S[@]}" --as sup1
CRECEIVED="$(echo "$LAST" | tail -1 | python3 -c "import json,sys; j=json.load(sys.stdin); print([k for k in j['kpis'] if k['id']=='received'][0]['numerator'])")"
check report-campaign 0 "$HOTLINE" report "${S[@]}" --kind thematic --campaign "$CID" \
  --format html --out "$DIR/campaign.html"
expect_contains report-campaign-title "专题报告：城建专项"
[[ "$(last_json from)" == "$FROM" && "$(last_json to)" == "$TODAY" ]] || { echo "FAIL campaign report period"; failures=$((failures + 1)); }
[[ "$(last_json received)" == "$CRECEIVED" && "$CRECEIVED" -gt 0 ]] || { echo "FAIL campaign report received $(last_json received) != $CRECEIVED"; failures=$((failures + 1)); }
[[ "$(last_json campaign)" == "$CID" ]] || { echo "FAIL campaign report id"; failures=$((failures + 1)); }
grep -q "专题概况" "$DIR/campaign.html" || { echo "FAIL campaign.html lacks 专题概况"; failures=$((failures + 1)); }
check report-campaign-xlsx 0 "$HOTLINE" report "${S[@]}" --campaign "$CID" --as leader1 \
  --format xlsx --out "$DIR/campaign.xlsx"
[[ "$(head -c 2 "$DIR/campaign.xlsx")" == "PK" ]] || { echo "FAIL campaign.xlsx is not a zip"; failures=$((failures + 1)); }
check report-campaign-monthly 2 "$HOTLINE" report "${S[@]}" --kind monthly --campaign "$CID" \
  --date "$TODAY" --out "$DIR/x.html"
check report-campaign-missing 1 "$HOTLINE" report "${S[@]}" --kind theme --campaign 999 --out "$DIR/x.html"
check report-campaign-refused 1 "$HOTLINE" report "${S[@]}" --kind theme --campaign "$CID" \
  --as city-housing --out "$DIR/x.html"
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

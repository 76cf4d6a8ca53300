#!/usr/bin/env bash
# `hotline kb`: an xlsx export imports back into another store unchanged, a bad file imports
# nothing, and the lexicon (`kb lexicon list|add-word|add-synonyms|remove`) changes what the
# search finds at once, refusing bad lines by number.
source "$(dirname "$0")/lib.sh" "$1"

cat >"$DIR/kb.tsv" <<'TSV'
id	title	answer	department	review_date	status
bike	小黄车乱停放怎么办	拨打运营企业客服电话，或向城管部门反映。	市城管局	2024-01-31	published
gjj	住房公积金怎么提取	带身份证到公积金中心办理。	市公积金中心		draft
TSV
check import-tsv 0 "$HOTLINE" kb import "${S[@]}" "$DIR/kb.tsv"
expect_contains import-tsv-count "新建 2"
check export-xlsx 0 "$HOTLINE" kb export "${S[@]}" -o "$DIR/kb.xlsx"
check import-xlsx 0 "$HOTLINE" kb import --store "$DIR/copy.db" "$DIR/kb.xlsx"
expect_contains import-xlsx-count "新建 2"
check show-copy 0 "$HOTLINE" kb show --store "$DIR/copy.db" bike --json
[[ "$(last_json review_date)" == "2024-01-31" ]] || { echo "FAIL xlsx review_date: $LAST"; failures=$((failures + 1)); }
[[ "$(last_json status)" == "published" ]] || { echo "FAIL xlsx status: $LAST"; failures=$((failures + 1)); }
"$HOTLINE" kb export --store "$DIR/copy.db" --format tsv >"$DIR/copy.tsv"
"$HOTLINE" kb export "${S[@]}" --format tsv >"$DIR/orig.tsv"
cmp -s "$DIR/orig.tsv" "$DIR/copy.tsv" || { echo "FAIL xlsx round trip differs"; diff "$DIR/orig.tsv" "$DIR/copy.tsv" | head; failures=$((failures + 1)); }
check reimport-unchanged 0 "$HOTLINE" kb import "${S[@]}" "$DIR/kb.xlsx"
expect_contains reimport-unchanged-count "未变 2"
printf 'not a workbook' >"$DIR/bad.xlsx"
check import-bad-xlsx 1 "$HOTLINE" kb import "${S[@]}" "$DIR/bad.xlsx"

# The lexicon: a new synonym group makes 共享单车 find the 小黄车 article.
check search-before 0 "$HOTLINE" kb search "${S[@]}" 共享单车 --json
[[ "$LAST" == "[]" ]] || { echo "FAIL found before the group: $LAST"; failures=$((failures + 1)); }
check add-bad-synonyms 1 "$HOTLINE" kb lexicon add-synonyms "${S[@]}" 孤单
expect_contains add-bad-synonyms-msg "第 1 行"
printf '小黄车 共享单车\n社保 社会保障卡\n' >"$DIR/syn.txt"
check add-synonyms-file-bad 1 "$HOTLINE" kb lexicon add-synonyms "${S[@]}" --file "$DIR/syn.txt"
expect_contains add-synonyms-file-line "第 2 行"
check add-synonyms 0 "$HOTLINE" kb lexicon add-synonyms "${S[@]}" 小黄车 共享单车
check search-after 0 "$HOTLINE" kb search "${S[@]}" 共享单车 --json
[[ "$LAST" == *'"id":"bike"'* ]] || { echo "FAIL not found after the group: $LAST"; failures=$((failures + 1)); }
check add-word 0 "$HOTLINE" kb lexicon add-word "${S[@]}" 米兰春天 --kind address
check add-word-bad-kind 1 "$HOTLINE" kb lexicon add-word "${S[@]}" 一米阳光 --kind colour
check list 0 "$HOTLINE" kb lexicon list "${S[@]}" --json
id="$(echo "$LAST" | tail -1 | python3 -c 'import json,sys; print([e["id"] for e in json.load(sys.stdin)["entries"] if e["kind"]=="synonyms"][0])')"
check remove 0 "$HOTLINE" kb lexicon remove "${S[@]}" "$id"
check search-removed 0 "$HOTLINE" kb search "${S[@]}" 共享单车 --json
[[ "$LAST" == "[]" ]] || { echo "FAIL found after removal: $LAST"; failures=$((failures + 1)); }
check remove-again 1 "$HOTLINE" kb lexicon remove "${S[@]}" "$id"

finish kb_test

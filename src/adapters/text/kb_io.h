// Knowledge-base file formats: import and export of articles as JSON Lines, CSV, TSV and
// xlsx (the first sheet, the same columns as the export; read with fiscal::ReadXlsx). Besides the
// project's own columns (docs/kb.md), two public layouts import as they are: the Guangdong
// service-item catalogue (JSON Lines with TASK_NAME, DEPT_NAME...) and the Taipei city FAQ table
// (TSV with question, answer_text, deptName...). Free functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "domain/kb/article.h"

namespace hotline::adapters::text {

enum class KbFormat { kJsonl, kCsv, kTsv, kXlsx };

// "jsonl"/"json", "csv", "tsv", "xlsx"; kInvalidArgument otherwise.
Result<KbFormat> ParseKbFormat(std::string_view name);
// From the file name's extension (.jsonl/.json, .csv, .tsv/.txt, .xlsx); kInvalidArgument
// if it is none of these.
Result<KbFormat> KbFormatOfPath(std::string_view path);

// Parses a whole file. All or nothing: kInvalidArgument listing every bad row by its line
// number ("第 N 行: ...", at most 20 of them; for xlsx N is the sheet's row number) if any
// row is malformed, fails validation or repeats an id. For xlsx `content` is the file's
// bytes; a date column typed as a date in Excel (a serial number) is read as YYYY-MM-DD, and
// a file that is not a workbook is kInvalidArgument.
Result<std::vector<domain::kb::Article>> ParseArticles(std::string_view content, KbFormat format);

// The articles as JSON Lines, CSV or TSV (header row, the project's columns; fields with
// separators, quotes or line breaks are quoted). kInvalidArgument for xlsx.
Result<std::string> FormatArticles(const std::vector<domain::kb::Article>& articles,
                                   KbFormat format);

// Writes the articles as an xlsx workbook (one sheet, the same columns). kInternal if the
// file cannot be written.
Status WriteArticlesXlsx(const std::vector<domain::kb::Article>& articles, const std::string& path);

// The same workbook as bytes (written through a temporary file: libxlsxwriter writes files).
Result<std::string> ArticlesXlsxBytes(const std::vector<domain::kb::Article>& articles);

}  // namespace hotline::adapters::text

#include "adapters/text/kb_io.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "adapters/fiscal/xlsx_reader.h"
#include "adapters/render/xlsx.h"

namespace hotline::adapters::text {

namespace {

using domain::kb::Article;
using domain::kb::ArticleKind;
using domain::kb::ArticleStatus;
using Json = nlohmann::json;

constexpr size_t kMaxReportedErrors = 20;

// The project's columns, in export order.
constexpr std::array<std::string_view, 18> kColumns = {
    "id",     "kind",       "title",     "answer",     "category",   "department",
    "region", "keywords",   "source",    "valid_from", "valid_to",   "review_date",
    "status", "conditions", "materials", "place",      "time_limit", "fee"};

// Chinese header names accepted on import.
const std::map<std::string, std::string, std::less<>>& ColumnAliases() {
  static const auto* aliases =
      new std::map<std::string, std::string, std::less<>>{{"编号", "id"},
                                                          {"类型", "kind"},
                                                          {"标题", "title"},
                                                          {"问题", "title"},
                                                          {"事项名称", "title"},
                                                          {"答复", "answer"},
                                                          {"答案", "answer"},
                                                          {"分类", "category"},
                                                          {"部门", "department"},
                                                          {"责任部门", "department"},
                                                          {"区域", "region"},
                                                          {"地区", "region"},
                                                          {"关键词", "keywords"},
                                                          {"来源", "source"},
                                                          {"生效日期", "valid_from"},
                                                          {"失效日期", "valid_to"},
                                                          {"复审日期", "review_date"},
                                                          {"状态", "status"},
                                                          {"受理条件", "conditions"},
                                                          {"申请材料", "materials"},
                                                          {"办理地点", "place"},
                                                          {"承诺时限", "time_limit"},
                                                          {"收费标准", "fee"}};
  return *aliases;
}

std::string Trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t b = 0;
  size_t e = text.size();
  while (b < e && space(text[b])) {
    ++b;
  }
  while (e > b && space(text[e - 1])) {
    --e;
  }
  return std::string(text.substr(b, e - b));
}

// Keywords separated by commas (ASCII or full-width), semicolons or 、.
std::vector<std::string> SplitKeywords(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  const auto flush = [&] {
    std::string word = Trim(current);
    if (!word.empty()) {
      out.push_back(std::move(word));
    }
    current.clear();
  };
  for (size_t i = 0; i < text.size();) {
    const std::string_view rest = text.substr(i);
    if (rest[0] == ',' || rest[0] == ';' || rest[0] == '\n') {
      flush();
      ++i;
    } else if (rest.starts_with("，") || rest.starts_with("；") || rest.starts_with("、")) {
      flush();
      i += 3;
    } else {
      current += rest[0];
      ++i;
    }
  }
  flush();
  return out;
}

std::string JoinKeywords(const std::vector<std::string>& keywords) {
  std::string out;
  for (const auto& k : keywords) {
    out += out.empty() ? "" : ",";
    out += k;
  }
  return out;
}

// Sets a field of `article` from a column value; an error message if the value is invalid.
std::string SetField(Article* article, std::string_view column, const std::string& raw) {
  const std::string value = Trim(raw);
  if (column == "id") {
    article->id = value;
  } else if (column == "kind") {
    if (!value.empty()) {
      const auto kind = domain::kb::ParseKind(value);
      if (!kind.has_value()) {
        return "未知类型(kind): " + value;
      }
      article->kind = *kind;
    }
  } else if (column == "title") {
    article->title = value;
  } else if (column == "answer") {
    article->answer = value;
  } else if (column == "category") {
    article->category = value;
  } else if (column == "department") {
    article->department = value;
  } else if (column == "region") {
    article->region = value;
  } else if (column == "keywords") {
    article->keywords = SplitKeywords(value);
  } else if (column == "source") {
    article->source = value;
  } else if (column == "valid_from") {
    article->valid_from = value;
  } else if (column == "valid_to") {
    article->valid_to = value;
  } else if (column == "review_date") {
    article->review_date = value;
  } else if (column == "status") {
    if (!value.empty()) {
      const auto status = domain::kb::ParseStatus(value);
      if (!status.has_value()) {
        return "未知状态(status): " + value;
      }
      article->status = *status;
    }
  } else if (column == "conditions") {
    article->service.conditions = value;
  } else if (column == "materials") {
    article->service.materials = value;
  } else if (column == "place") {
    article->service.place = value;
  } else if (column == "time_limit") {
    article->service.time_limit = value;
  } else if (column == "fee") {
    article->service.fee = value;
  }
  return "";
}

std::string JsonText(const Json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_array()) {
    std::string out;
    for (const auto& item : value) {
      const std::string text = JsonText(item);
      if (!text.empty()) {
        out += out.empty() ? "" : "；";
        out += text;
      }
    }
    return out;
  }
  if (value.is_null()) {
    return "";
  }
  return value.dump();
}

// "无" (none) in the service catalogue means an empty field.
std::string CatalogueText(const Json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end()) {
    return "";
  }
  std::string text = Trim(JsonText(*found));
  return text == "无" ? "" : text;
}

// A Guangdong service-item catalogue record (TASK_NAME, DEPT_NAME, ...).
Article FromServiceCatalogue(const Json& o) {
  Article a;
  a.kind = ArticleKind::kServiceItem;
  a.id = CatalogueText(o, "TASK_CODE");
  a.title = CatalogueText(o, "TASK_NAME");
  a.department = CatalogueText(o, "DEPT_NAME");
  a.category = CatalogueText(o, "TASK_TYPE_TEXT");
  a.region = CatalogueText(o, "AREA_CODE_TEXT");
  a.source = CatalogueText(o, "URL");
  a.service.conditions = CatalogueText(o, "accept_standard");
  a.service.materials = CatalogueText(o, "material_intro");
  a.service.place = CatalogueText(o, "handle_location");
  a.service.time_limit = CatalogueText(o, "handle_time_limit");
  const std::string phone = CatalogueText(o, "consult_phone");
  const std::string scope = CatalogueText(o, "service_object_name");
  if (!scope.empty()) {
    a.answer += "服务对象：" + scope;
  }
  if (!phone.empty()) {
    a.answer += (a.answer.empty() ? "" : "\n") + std::string("咨询电话：") + phone;
  }
  for (const char* key : {"theme_category"}) {
    for (auto& word : SplitKeywords(CatalogueText(o, key))) {
      a.keywords.push_back(std::move(word));
    }
  }
  return a;
}

Result<Article> FromJsonLine(std::string_view line) {
  Json o;
  try {
    o = Json::parse(line);
  } catch (const Json::exception& e) {
    return InvalidArgument(std::string("不是有效的 JSON: ") + e.what());
  }
  if (!o.is_object()) {
    return InvalidArgument("应为 JSON 对象");
  }
  if (o.contains("TASK_NAME")) {
    return FromServiceCatalogue(o);
  }
  Article a;
  for (const auto& [key, value] : o.items()) {
    std::string column = key;
    const auto alias = ColumnAliases().find(key);
    if (alias != ColumnAliases().end()) {
      column = alias->second;
    }
    if (column == "service" && value.is_object()) {
      for (const auto& [sub, sub_value] : value.items()) {
        const std::string error = SetField(&a, sub, JsonText(sub_value));
        if (!error.empty()) {
          return InvalidArgument(error);
        }
      }
      continue;
    }
    if (column == "keywords" && value.is_array()) {
      for (const auto& k : value) {
        const std::string word = Trim(JsonText(k));
        if (!word.empty()) {
          a.keywords.push_back(word);
        }
      }
      continue;
    }
    const std::string error = SetField(&a, column, JsonText(value));
    if (!error.empty()) {
      return InvalidArgument(error);
    }
  }
  return a;
}

struct Record {
  std::vector<std::string> fields;
  size_t line = 0;  // 1-based line where the record starts
};

// RFC 4180-style records with `separator`: a field starting with '"' is quoted ("" is a
// quote) and may hold separators and line breaks. kInvalidArgument on an unclosed quote.
Result<std::vector<Record>> SplitRecords(std::string_view text, char separator) {
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  std::vector<Record> records;
  size_t line = 1;
  size_t i = 0;
  while (i < text.size()) {
    Record record;
    record.line = line;
    std::string field;
    bool done = false;
    while (!done) {
      if (i < text.size() && text[i] == '"') {
        const size_t quote_line = line;
        ++i;
        while (true) {
          if (i >= text.size()) {
            return InvalidArgument("第 " + std::to_string(quote_line) + " 行: 引号未闭合");
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          line += text[i] == '\n' ? 1 : 0;
          field += text[i++];
        }
      }
      while (i < text.size() && text[i] != separator && text[i] != '\n') {
        if (text[i] != '\r') {
          field += text[i];
        }
        ++i;
      }
      record.fields.push_back(std::move(field));
      field.clear();
      if (i >= text.size() || text[i] == '\n') {
        done = true;
        if (i < text.size()) {
          ++line;
        }
      }
      ++i;
    }
    const bool blank = record.fields.size() == 1 && Trim(record.fields[0]).empty();
    if (!blank) {
      records.push_back(std::move(record));
    }
  }
  return records;
}

// An Excel date serial ("45473", days since 1899-12-30) as YYYY-MM-DD; the text unchanged
// if it is not one. A date column typed as a date in Excel is stored as its serial.
std::string ExcelDate(const std::string& text) {
  const std::string value = Trim(text);
  constexpr size_t kMaxSerialDigits = 6;
  if (value.empty() || value.size() > kMaxSerialDigits ||
      value.find_first_not_of("0123456789") != std::string::npos) {
    return text;
  }
  using std::chrono::days;
  using std::chrono::sys_days;
  constexpr std::chrono::year_month_day kEpoch{std::chrono::year{1899}, std::chrono::month{12},
                                               std::chrono::day{30}};
  const std::chrono::year_month_day day{sys_days{kEpoch} + days{std::stol(value)}};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return out;
}

// The rows of the workbook's first sheet as records (line = the sheet's row number); empty
// rows are skipped, short rows padded by the caller.
Result<std::vector<Record>> SheetRecords(std::string_view bytes) {
  HOTLINE_ASSIGN_OR_RETURN(auto workbook, fiscal::ReadXlsx(bytes));
  std::vector<Record> records;
  if (workbook.sheets.empty()) {
    return records;
  }
  auto& cells = workbook.sheets.front().cells;
  for (size_t r = 0; r < cells.size(); ++r) {
    const bool blank = std::all_of(cells[r].begin(), cells[r].end(),
                                   [](const std::string& c) { return Trim(c).empty(); });
    if (!blank) {
      records.push_back({std::move(cells[r]), r + 1});
    }
  }
  return records;
}

Result<std::vector<Article>> FromRecords(std::vector<Record> records, bool sheet,
                                         std::vector<std::string>* errors,
                                         std::vector<size_t>* lines) {
  if (sheet && !records.empty()) {
    // A sheet's rows end at their last non-empty cell: pad them to the header, and drop
    // empty cells beyond it.
    const size_t width = records.front().fields.size();
    for (auto& record : records) {
      while (record.fields.size() > width && Trim(record.fields.back()).empty()) {
        record.fields.pop_back();
      }
      if (record.fields.size() < width) {
        record.fields.resize(width);
      }
    }
  }
  if (records.empty()) {
    return std::vector<Article>{};
  }
  const auto& header = records.front().fields;
  std::vector<std::string> columns;
  const auto column = [&](std::string_view name) {
    for (size_t c = 0; c < header.size(); ++c) {
      if (Trim(header[c]) == name) {
        return static_cast<int>(c);
      }
    }
    return -1;
  };
  // The Taipei FAQ layout.
  const bool faq = column("question") >= 0 && column("answer_text") >= 0;
  std::map<std::string, std::string> faq_columns = {
      {"data_id", "id"},         {"deptName", "department"}, {"question", "title"},
      {"answer_text", "answer"}, {"keywords", "keywords"},   {"news_from", "source"},
      {"news_class", "category"}};
  for (const auto& name : header) {
    const std::string trimmed = Trim(name);
    std::string mapped;
    if (faq) {
      const auto found = faq_columns.find(trimmed);
      mapped = found == faq_columns.end() ? "" : found->second;
    } else {
      const auto alias = ColumnAliases().find(trimmed);
      mapped = alias != ColumnAliases().end() ? alias->second : trimmed;
    }
    columns.push_back(mapped);
  }
  if (std::find(columns.begin(), columns.end(), "id") == columns.end() ||
      std::find(columns.begin(), columns.end(), "title") == columns.end()) {
    return InvalidArgument("第 1 行: 表头缺少 id 或 title 列");
  }
  const int post_date = faq ? column("post_date") : -1;
  std::vector<Article> out;
  for (size_t r = 1; r < records.size(); ++r) {
    const Record& record = records[r];
    if (record.fields.size() != header.size()) {
      errors->push_back("第 " + std::to_string(record.line) + " 行: 有 " +
                        std::to_string(record.fields.size()) + " 列，表头有 " +
                        std::to_string(header.size()) + " 列");
      continue;
    }
    Article a;
    std::string error;
    for (size_t c = 0; c < columns.size() && error.empty(); ++c) {
      if (columns[c].empty()) {
        continue;
      }
      const bool date =
          columns[c] == "valid_from" || columns[c] == "valid_to" || columns[c] == "review_date";
      error =
          SetField(&a, columns[c], sheet && date ? ExcelDate(record.fields[c]) : record.fields[c]);
    }
    if (post_date >= 0) {
      // "2015-01-06" (sometimes with a time): the day the answer was published.
      const std::string day = Trim(record.fields[static_cast<size_t>(post_date)]).substr(0, 10);
      a.valid_from = domain::kb::IsIsoDate(day) ? day : "";
    }
    if (!error.empty()) {
      errors->push_back("第 " + std::to_string(record.line) + " 行: " + error);
      continue;
    }
    out.push_back(std::move(a));
    lines->push_back(record.line);
  }
  return out;
}

std::string CsvField(const std::string& value, char separator) {
  if (value.find_first_of(std::string{separator, '"', '\n', '\r'}) == std::string::npos) {
    return value;
  }
  std::string out = "\"";
  for (const char c : value) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

std::vector<std::string> Row(const Article& a) {
  return {a.id,
          std::string(domain::kb::KindName(a.kind)),
          a.title,
          a.answer,
          a.category,
          a.department,
          a.region,
          JoinKeywords(a.keywords),
          a.source,
          a.valid_from,
          a.valid_to,
          a.review_date,
          std::string(domain::kb::StatusName(a.status)),
          a.service.conditions,
          a.service.materials,
          a.service.place,
          a.service.time_limit,
          a.service.fee};
}

}  // namespace

Result<KbFormat> ParseKbFormat(std::string_view name) {
  if (name == "jsonl" || name == "json") {
    return KbFormat::kJsonl;
  }
  if (name == "csv") {
    return KbFormat::kCsv;
  }
  if (name == "tsv" || name == "txt") {
    return KbFormat::kTsv;
  }
  if (name == "xlsx") {
    return KbFormat::kXlsx;
  }
  return InvalidArgument("未知格式: " + std::string(name) + "（可用 jsonl、csv、tsv、xlsx）");
}

Result<KbFormat> KbFormatOfPath(std::string_view path) {
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos) {
    return InvalidArgument("无法从文件名判断格式，请用 --format 指定: " + std::string(path));
  }
  return ParseKbFormat(path.substr(dot + 1));
}

Result<std::vector<Article>> ParseArticles(std::string_view content, KbFormat format) {
  std::vector<std::string> errors;
  std::vector<Article> articles;
  std::vector<size_t> lines;
  if (format == KbFormat::kXlsx) {
    HOTLINE_ASSIGN_OR_RETURN(auto records, SheetRecords(content));
    HOTLINE_ASSIGN_OR_RETURN(articles, FromRecords(std::move(records), true, &errors, &lines));
  } else if (format == KbFormat::kJsonl) {
    size_t line = 0;
    size_t start = 0;
    while (start < content.size()) {
      const size_t end = std::min(content.find('\n', start), content.size());
      ++line;
      std::string_view text = content.substr(start, end - start);
      start = end + 1;
      if (line == 1 && text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
      }
      if (Trim(text).empty()) {
        continue;
      }
      auto article = FromJsonLine(text);
      if (!article.has_value()) {
        errors.push_back("第 " + std::to_string(line) + " 行: " + article.error().message);
        continue;
      }
      articles.push_back(std::move(article).value());
      lines.push_back(line);
    }
  } else {
    HOTLINE_ASSIGN_OR_RETURN(auto records,
                             SplitRecords(content, format == KbFormat::kCsv ? ',' : '\t'));
    HOTLINE_ASSIGN_OR_RETURN(articles, FromRecords(std::move(records), false, &errors, &lines));
  }
  std::unordered_set<std::string> ids;
  for (size_t i = 0; i < articles.size(); ++i) {
    const Status valid = domain::kb::Validate(articles[i]);
    if (!valid.has_value()) {
      errors.push_back("第 " + std::to_string(lines[i]) + " 行: " + valid.error().message);
    } else if (!ids.insert(articles[i].id).second) {
      errors.push_back("第 " + std::to_string(lines[i]) + " 行: 编号 " + articles[i].id + " 重复");
    }
  }
  if (!errors.empty()) {
    std::sort(errors.begin(), errors.end(), [](const std::string& a, const std::string& b) {
      const auto number = [](const std::string& s) { return std::atol(s.c_str() + 4); };
      return number(a) < number(b);
    });
    std::string message =
        "导入失败，未导入任何条目（" + std::to_string(errors.size()) + " 行有错误）:";
    for (size_t e = 0; e < errors.size() && e < kMaxReportedErrors; ++e) {
      message += "\n  " + errors[e];
    }
    return InvalidArgument(message);
  }
  return articles;
}

Result<std::string> FormatArticles(const std::vector<Article>& articles, KbFormat format) {
  std::string out;
  if (format == KbFormat::kXlsx) {
    return InvalidArgument("xlsx 请用 WriteArticlesXlsx 写入文件");
  }
  if (format == KbFormat::kJsonl) {
    for (const auto& a : articles) {
      nlohmann::ordered_json o;
      const auto row = Row(a);
      for (size_t c = 0; c < kColumns.size(); ++c) {
        if (kColumns[c] == "keywords") {
          o["keywords"] = a.keywords;
        } else if (!row[c].empty() || c < 4) {
          o[std::string(kColumns[c])] = row[c];
        }
      }
      if (a.version > 0) {
        o["version"] = a.version;
      }
      out += o.dump() + "\n";
    }
    return out;
  }
  const char separator = format == KbFormat::kCsv ? ',' : '\t';
  for (size_t c = 0; c < kColumns.size(); ++c) {
    out += (c > 0 ? std::string(1, separator) : "") + std::string(kColumns[c]);
  }
  out += "\n";
  for (const auto& a : articles) {
    const auto row = Row(a);
    for (size_t c = 0; c < row.size(); ++c) {
      out += (c > 0 ? std::string(1, separator) : "") + CsvField(row[c], separator);
    }
    out += "\n";
  }
  return out;
}

Status WriteArticlesXlsx(const std::vector<Article>& articles, const std::string& path) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) {
    return Internal("无法创建 xlsx 文件: " + path);
  }
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "知识库");
  for (size_t c = 0; c < kColumns.size(); ++c) {
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), std::string(kColumns[c]).c_str(),
                           nullptr);
  }
  // xlsx cells hold at most 32,767 characters.
  constexpr size_t kMaxCellBytes = 32767;
  for (size_t r = 0; r < articles.size(); ++r) {
    const auto row = Row(articles[r]);
    for (size_t c = 0; c < row.size(); ++c) {
      std::string cell = row[c];
      if (cell.size() > kMaxCellBytes) {
        size_t cut = kMaxCellBytes;
        while (cut > 0 && (static_cast<unsigned char>(cell[cut]) & 0xC0) == 0x80) {
          --cut;  // never split a UTF-8 sequence
        }
        cell.resize(cut);
      }
      worksheet_write_string(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                             cell.c_str(), nullptr);
    }
  }
  const lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) {
    return Internal("写入 xlsx 失败: " + path + ": " + lxw_strerror(error));
  }
  return OkStatus();
}

Result<std::string> ArticlesXlsxBytes(const std::vector<Article>& articles) {
  return render::XlsxBytes([&articles](const std::filesystem::path& path) {
    return WriteArticlesXlsx(articles, path.string());
  });
}

}  // namespace hotline::adapters::text

#include "adapters/http/kb_api.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>

#include "adapters/http/api_support.h"
#include "adapters/http/http_server.h"
#include "adapters/text/kb_io.h"
#include "adapters/text/normalizer.h"
#include "common/utf8.h"
#include "domain/fields.h"

namespace hotline::adapters::http {

using domain::kb::Article;
using domain::kb::ArticleKind;
using domain::kb::ArticleStatus;
using nlohmann::json;

namespace {

constexpr size_t kMaxIdChars = 64;
constexpr size_t kMaxTitleChars = 500;
constexpr size_t kMaxAnswerChars = 30000;  // an xlsx cell holds 32,767
constexpr size_t kMaxFieldChars = 4000;
constexpr size_t kMaxKeywords = 50;
constexpr size_t kMaxKeywordChars = 50;
constexpr size_t kDefaultLimit = 50;
constexpr size_t kMaxLimit = 500;
constexpr size_t kExcerptChars = 60;

size_t Chars(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string Head(const std::string& s, size_t n) {
  size_t chars = 0;
  size_t i = 0;
  while (i < s.size() && chars < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  return i < s.size() ? s.substr(0, i) + "…" : s;
}

std::string_view StatusLabel(ArticleStatus s) {
  switch (s) {
    case ArticleStatus::kDraft:
      return "草稿";
    case ArticleStatus::kPublished:
      return "已发布";
    case ArticleStatus::kRetired:
      return "已停用";
  }
  return "";
}

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':';
}

json ArticleJson(const Article& a) {
  json j = {{"id", a.id},
            {"kind", domain::kb::KindName(a.kind)},
            {"title", a.title},
            {"answer", a.answer},
            {"category", a.category},
            {"department", a.department},
            {"region", a.region},
            {"keywords", a.keywords},
            {"source", a.source},
            {"valid_from", a.valid_from},
            {"valid_to", a.valid_to},
            {"review_date", a.review_date},
            {"status", domain::kb::StatusName(a.status)},
            {"status_name", StatusLabel(a.status)},
            {"version", a.version},
            {"updated_at", a.updated_at > 0 ? FormatLocal(FromUnix(a.updated_at)) : ""},
            {"updated_by", a.updated_by}};
  if (a.kind == ArticleKind::kServiceItem) {
    j["service"] = {{"conditions", a.service.conditions},
                    {"materials", a.service.materials},
                    {"place", a.service.place},
                    {"time_limit", a.service.time_limit},
                    {"fee", a.service.fee}};
  }
  return j;
}

// A row of a listing: everything but the long texts, with the answer's first words.
json SummaryJson(const Article& a) {
  return {{"id", a.id},
          {"kind", domain::kb::KindName(a.kind)},
          {"title", a.title},
          {"excerpt", Head(a.answer, kExcerptChars)},
          {"category", a.category},
          {"department", a.department},
          {"region", a.region},
          {"review_date", a.review_date},
          {"valid_to", a.valid_to},
          {"status", domain::kb::StatusName(a.status)},
          {"status_name", StatusLabel(a.status)},
          {"version", a.version},
          {"updated_at", a.updated_at > 0 ? FormatLocal(FromUnix(a.updated_at)) : ""},
          {"updated_by", a.updated_by}};
}

Status TextInto(const json& body, const char* key, const char* label, size_t max_chars,
                std::string* out) {
  if (!body.contains(key)) {
    return OkStatus();
  }
  const json& v = body[key];
  if (v.is_null()) {
    out->clear();
    return OkStatus();
  }
  if (!v.is_string()) {
    return InvalidArgument(fmt::format("字段 {}（{}）应为字符串", key, label));
  }
  std::string s = v.get<std::string>();
  if (Chars(s) > max_chars) {
    return InvalidArgument(fmt::format("{}过长（最多 {} 个字）", label, max_chars));
  }
  // Surrounding blanks are never meant; the file import trims them too.
  const size_t b = s.find_first_not_of(" \t\r\n");
  const size_t e = s.find_last_not_of(" \t\r\n");
  *out = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  return OkStatus();
}

// Applies the fields of `body` to `a` (absent fields keep their value). `version` and `id`
// are read by the caller; `status` is refused: it changes only by publish and retire.
Status ApplyFields(const json& body, Article* a) {
  static constexpr const char* kAllowed[] = {
      "id",       "kind",   "title",      "answer",   "category",    "department", "region",
      "keywords", "source", "valid_from", "valid_to", "review_date", "service",    "version"};
  for (const auto& item : body.items()) {
    const std::string& key = item.key();
    if (key == "status") {
      return InvalidArgument("状态不能直接修改：新条目为草稿，用“发布”或“停用”改变状态");
    }
    if (std::none_of(std::begin(kAllowed), std::end(kAllowed),
                     [&key](const char* k) { return key == k; })) {
      return InvalidArgument("未知字段: " + key);
    }
  }
  if (body.contains("kind")) {
    const auto kind = body["kind"].is_string()
                          ? domain::kb::ParseKind(body["kind"].get<std::string>())
                          : std::nullopt;
    if (!kind.has_value()) {
      return InvalidArgument("字段 kind（类型）应为 answer（问答）或 service_item（办事事项）");
    }
    a->kind = *kind;
  }
  HOTLINE_RETURN_IF_ERROR(TextInto(body, "title", "标题", kMaxTitleChars, &a->title));
  HOTLINE_RETURN_IF_ERROR(TextInto(body, "answer", "答复", kMaxAnswerChars, &a->answer));
  HOTLINE_RETURN_IF_ERROR(TextInto(body, "category", "分类", kMaxFieldChars, &a->category));
  HOTLINE_RETURN_IF_ERROR(TextInto(body, "department", "责任部门", kMaxFieldChars, &a->department));
  HOTLINE_RETURN_IF_ERROR(TextInto(body, "region", "区域", kMaxFieldChars, &a->region));
  HOTLINE_RETURN_IF_ERROR(TextInto(body, "source", "来源", kMaxFieldChars, &a->source));
  HOTLINE_RETURN_IF_ERROR(TextInto(body, "valid_from", "生效日期", kMaxFieldChars, &a->valid_from));
  HOTLINE_RETURN_IF_ERROR(TextInto(body, "valid_to", "失效日期", kMaxFieldChars, &a->valid_to));
  HOTLINE_RETURN_IF_ERROR(
      TextInto(body, "review_date", "复审日期", kMaxFieldChars, &a->review_date));
  if (body.contains("keywords")) {
    const json& k = body["keywords"];
    if (!k.is_array() || k.size() > kMaxKeywords) {
      return InvalidArgument(
          fmt::format("字段 keywords（关键词）应为不超过 {} 个字符串的数组", kMaxKeywords));
    }
    std::vector<std::string> words;
    for (const auto& w : k) {
      if (!w.is_string() || Chars(w.get<std::string>()) > kMaxKeywordChars) {
        return InvalidArgument(
            fmt::format("关键词应为字符串，每个不超过 {} 个字", kMaxKeywordChars));
      }
      std::string word = w.get<std::string>();
      if (word.find_first_not_of(" \t") != std::string::npos &&
          std::find(words.begin(), words.end(), word) == words.end()) {
        words.push_back(std::move(word));
      }
    }
    a->keywords = std::move(words);
  }
  if (body.contains("service")) {
    const json& s = body["service"];
    if (s.is_null()) {
      a->service = {};
    } else if (!s.is_object()) {
      return InvalidArgument("字段 service（办事事项详情）应为对象");
    } else {
      for (const auto& item : s.items()) {
        const std::string& key = item.key();
        if (key != "conditions" && key != "materials" && key != "place" && key != "time_limit" &&
            key != "fee") {
          return InvalidArgument("未知字段: service." + key);
        }
      }
      HOTLINE_RETURN_IF_ERROR(
          TextInto(s, "conditions", "受理条件", kMaxFieldChars, &a->service.conditions));
      HOTLINE_RETURN_IF_ERROR(
          TextInto(s, "materials", "申请材料", kMaxFieldChars, &a->service.materials));
      HOTLINE_RETURN_IF_ERROR(TextInto(s, "place", "办理地点", kMaxFieldChars, &a->service.place));
      HOTLINE_RETURN_IF_ERROR(
          TextInto(s, "time_limit", "承诺时限", kMaxFieldChars, &a->service.time_limit));
      HOTLINE_RETURN_IF_ERROR(TextInto(s, "fee", "收费标准", kMaxFieldChars, &a->service.fee));
    }
  }
  if (a->kind == ArticleKind::kAnswer) {
    a->service = {};  // an answer has no service details (switching kind drops them)
  }
  return domain::kb::Validate(*a);
}

// The expected version of an edit: required, a positive integer.
Result<int64_t> VersionOf(const json& body, bool required) {
  if (!body.contains("version")) {
    if (required) {
      return InvalidArgument("缺少字段 version（编辑所基于的版本号）");
    }
    return int64_t{-1};
  }
  if (!body["version"].is_number_integer() || body["version"].get<int64_t>() < 1) {
    return InvalidArgument("字段 version（版本号）应为正整数");
  }
  return body["version"].get<int64_t>();
}

Result<size_t> SizeParam(const std::string& text, const char* name, size_t fallback, size_t min,
                         size_t max) {
  if (text.empty()) {
    return fallback;
  }
  auto v = domain::ParseInt64(text);
  if (!v.has_value() || *v < static_cast<int64_t>(min)) {
    return InvalidArgument(fmt::format("参数 {} 应为不小于 {} 的整数", name, min));
  }
  return std::min<size_t>(static_cast<size_t>(*v), max);
}

json EntryJson(const text::LexiconEntry& e) {
  json j = {{"kind", e.kind}, {"words", e.words}};
  if (e.id != 0) {
    j["id"] = e.id;
    j["created_at"] = e.created_at > 0 ? FormatLocal(FromUnix(e.created_at)) : "";
    j["created_by"] = e.created_by;
    j["conflict"] = e.conflict;
  }
  return j;
}

constexpr size_t kMaxLexiconBytes = size_t{256} << 10;

bool IsUnitRole(domain::Role r) {
  return r == domain::Role::kUnitHandler || r == domain::Role::kUnitAdmin;
}

HttpResponse AdminOnly() { return Forbidden("只有系统管理员可以管理知识库"); }

// The format of an upload: ?format=, else the Content-Type.
Result<text::KbFormat> UploadFormat(RequestContext& ctx) {
  if (!ctx.query["format"].empty()) {
    return text::ParseKbFormat(ctx.query["format"]);
  }
  const std::string type = ctx.req.Header("content-type");
  if (type.find("spreadsheetml") != std::string::npos) {
    return text::KbFormat::kXlsx;
  }
  if (type.find("text/csv") != std::string::npos) {
    return text::KbFormat::kCsv;
  }
  if (type.find("tab-separated") != std::string::npos) {
    return text::KbFormat::kTsv;
  }
  if (type.find("ndjson") != std::string::npos || type.find("jsonl") != std::string::npos ||
      type.find("application/json") != std::string::npos) {
    return text::KbFormat::kJsonl;
  }
  return InvalidArgument("请用参数 format 指明文件格式：jsonl、csv、tsv 或 xlsx");
}

std::atomic<int64_t> g_id_counter{0};

}  // namespace

KbApi::KbApi(std::shared_ptr<sqlite::SharedKb> kb) : kb_(std::move(kb)) {}

std::string KbApi::MetricsText() {
  const auto info = kb_->memory_index_info();
  return fmt::format(
      "# HELP hotline_kb_memory_index_ready Whether KB searches are answered from the in-memory "
      "index.\n# TYPE hotline_kb_memory_index_ready gauge\nhotline_kb_memory_index_ready {}\n"
      "# HELP hotline_kb_memory_index_articles Articles in the in-memory KB search index.\n"
      "# TYPE hotline_kb_memory_index_articles gauge\nhotline_kb_memory_index_articles {}\n"
      "# HELP hotline_kb_memory_index_loads_total Full loads of the in-memory KB search index.\n"
      "# TYPE hotline_kb_memory_index_loads_total counter\n"
      "hotline_kb_memory_index_loads_total {}\n"
      "# HELP hotline_kb_searches_total KB searches, by what answered them.\n"
      "# TYPE hotline_kb_searches_total counter\n"
      "hotline_kb_searches_total{{source=\"index\"}} {}\n"
      "hotline_kb_searches_total{{source=\"store\"}} {}\n",
      info.enabled && info.ready ? 1 : 0, info.articles, info.loads, info.index_searches,
      info.store_searches);
}

std::vector<RouteDoc> KbApi::Routes() const {
  return {
      {"get", "/api/v1/kb/articles",
       "知识库条目列表：status（管理员）, category, department, region, q（编号或标题包含）, "
       "limit, offset；非管理员只看到已发布条目",
       true},
      {"post", "/api/v1/kb/articles", "新建知识库条目（草稿；管理员）", true},
      {"put", "/api/v1/kb/articles/{id}",
       "编辑知识库条目：带 version（所基于的版本），保存为新版本（管理员）", true},
      {"post", "/api/v1/kb/articles/{id}/publish", "发布条目（管理员）", true},
      {"post", "/api/v1/kb/articles/{id}/retire", "停用条目（管理员）", true},
      {"get", "/api/v1/kb/articles/{id}/versions", "条目的全部版本（管理员）", true},
      {"get", "/api/v1/kb/due",
       "已过复审日期的条目：承办单位看本部门的，管理员可按 department 过滤；today 可选", true},
      {"post", "/api/v1/kb/import",
       "导入知识库文件（请求体为文件；format=jsonl|csv|tsv|xlsx）：全部成功或全部不导入，"
       "错误按行号列出（管理员）",
       true},
      {"get", "/api/v1/kb/export",
       "导出知识库（format=jsonl|csv|tsv|xlsx；status, category, department, region；管理员）",
       true},
      {"get", "/api/v1/kb/lexicon", "词库：内置词条与管理员添加的词条（管理员）", true},
      {"post", "/api/v1/kb/lexicon/words",
       "添加自定义词：text 每行“词语 [word|address|unit]”，全部成功或全部不加，错误按行号列出；"
       "随后重建分词器并重建知识库索引（管理员）",
       true},
      {"post", "/api/v1/kb/lexicon/synonyms",
       "添加同义词组：text 每行一组（如“社保 社会保险”，第一个为规范词）；随后重建索引（管理员）",
       true},
      {"delete", "/api/v1/kb/lexicon/{id}", "删除管理员添加的词条；随后重建索引（管理员）", true},
  };
}

std::optional<HttpResponse> KbApi::Handle(RequestContext& ctx) {
  if (ctx.Is("GET", {"kb", "articles"})) {
    return List(ctx);
  }
  if (ctx.Is("POST", {"kb", "articles"})) {
    return Create(ctx);
  }
  if (ctx.Is("PUT", {"kb", "articles", "*"})) {
    return Edit(ctx);
  }
  if (ctx.Is("POST", {"kb", "articles", "*", "publish"})) {
    return SetStatus(ctx, ArticleStatus::kPublished);
  }
  if (ctx.Is("POST", {"kb", "articles", "*", "retire"})) {
    return SetStatus(ctx, ArticleStatus::kRetired);
  }
  if (ctx.Is("GET", {"kb", "articles", "*", "versions"})) {
    return Versions(ctx);
  }
  if (ctx.Is("GET", {"kb", "due"})) {
    return Due(ctx);
  }
  if (ctx.Is("POST", {"kb", "import"})) {
    return Import(ctx);
  }
  if (ctx.Is("GET", {"kb", "export"})) {
    return Export(ctx);
  }
  if (ctx.Is("GET", {"kb", "lexicon"})) {
    return Lexicon(ctx);
  }
  if (ctx.Is("POST", {"kb", "lexicon", "words"})) {
    return AddLexicon(ctx, false);
  }
  if (ctx.Is("POST", {"kb", "lexicon", "synonyms"})) {
    return AddLexicon(ctx, true);
  }
  if (ctx.Is("DELETE", {"kb", "lexicon", "*"})) {
    return RemoveLexicon(ctx);
  }
  return std::nullopt;
}

HttpResponse KbApi::List(RequestContext& ctx) {
  const bool admin = ctx.actor.role == domain::Role::kAdmin;
  ports::KbFilter filter{ctx.query["category"], ctx.query["department"], ctx.query["region"],
                         !admin, ""};
  const std::string& status = ctx.query["status"];
  if (!status.empty()) {
    const auto parsed = domain::kb::ParseStatus(status);
    if (!parsed.has_value()) {
      return BadRequest("参数 status 应为 draft、published 或 retired");
    }
    if (!admin && *parsed != ArticleStatus::kPublished) {
      return AdminOnly();
    }
    filter.status = domain::kb::StatusName(*parsed);
  }
  auto limit = SizeParam(ctx.query["limit"], "limit", kDefaultLimit, 1, kMaxLimit);
  auto offset = SizeParam(ctx.query["offset"], "offset", 0, 0, SIZE_MAX);
  if (!limit.has_value()) {
    return FromError(limit.error());
  }
  if (!offset.has_value()) {
    return FromError(offset.error());
  }
  const std::string& q = ctx.query["q"];
  if (!IsValidUtf8(q)) {
    return BadRequest("参数 q 不是有效的 UTF-8");
  }
  auto all = kb_->List(filter);
  if (!all.has_value()) {
    return FromError(all.error());
  }
  std::vector<const Article*> matching;
  json counts = {{"draft", 0}, {"published", 0}, {"retired", 0}};
  for (const auto& a : *all) {
    if (!q.empty() && a.id.find(q) == std::string::npos && a.title.find(q) == std::string::npos) {
      continue;
    }
    matching.push_back(&a);
    counts[std::string(domain::kb::StatusName(a.status))] =
        counts[std::string(domain::kb::StatusName(a.status))].get<int>() + 1;
  }
  json rows = json::array();
  for (size_t i = *offset; i < matching.size() && rows.size() < *limit; ++i) {
    rows.push_back(SummaryJson(*matching[i]));
  }
  return Json(200, {{"articles", rows}, {"total", matching.size()}, {"counts", counts}});
}

HttpResponse KbApi::Create(RequestContext& ctx) {
  if (ctx.actor.role != domain::Role::kAdmin) {
    return AdminOnly();
  }
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  Article a;
  a.status = ArticleStatus::kDraft;
  if (body->contains("id")) {
    const json& value = (*body)["id"];
    const std::string id = value.is_string() ? value.get<std::string>() : "";
    if (id.empty() || id.size() > kMaxIdChars || !std::all_of(id.begin(), id.end(), IsIdChar)) {
      return BadRequest(
          fmt::format("编号 id 应为 1-{} 个字母、数字或 - _ . :（留空则自动编号）", kMaxIdChars));
    }
    a.id = id;
  } else {
    a.id = fmt::format("kb-{}-{}", ToUnix(ctx.now), ++g_id_counter);
  }
  if (body->contains("version")) {
    return BadRequest("新建条目不能带 version");
  }
  if (auto st = ApplyFields(*body, &a); !st.has_value()) {
    return FromError(st.error());
  }
  auto saved = kb_->SaveVersion(a, 0, ctx.login, ToUnix(ctx.now));
  if (!saved.has_value()) {
    return FromError(saved.error());
  }
  ctx.audit("kb.article.create", saved->id,
            json{{"version", saved->version}, {"title", saved->title}}.dump());
  return Json(201, ArticleJson(*saved));
}

HttpResponse KbApi::Edit(RequestContext& ctx) {
  if (ctx.actor.role != domain::Role::kAdmin) {
    return AdminOnly();
  }
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  const std::string& id = ctx.parts[2];
  if (body->contains("id") && (*body)["id"] != id) {
    return BadRequest("编号不能修改");
  }
  auto version = VersionOf(*body, true);
  if (!version.has_value()) {
    return FromError(version.error());
  }
  auto current = kb_->Find(id);
  if (!current.has_value()) {
    return FromError(current.error());
  }
  Article a = *current;
  if (auto st = ApplyFields(*body, &a); !st.has_value()) {
    return FromError(st.error());
  }
  auto saved = kb_->SaveVersion(a, *version, ctx.login, ToUnix(ctx.now));
  if (!saved.has_value()) {
    return FromError(saved.error());
  }
  const bool changed = saved->version != current->version;
  if (changed) {
    ctx.audit("kb.article.update", id,
              json{{"from_version", current->version}, {"version", saved->version}}.dump());
  }
  json out = ArticleJson(*saved);
  out["changed"] = changed;
  return Json(200, out);
}

HttpResponse KbApi::SetStatus(RequestContext& ctx, ArticleStatus status) {
  if (ctx.actor.role != domain::Role::kAdmin) {
    return AdminOnly();
  }
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  auto version = VersionOf(*body, false);
  if (!version.has_value()) {
    return FromError(version.error());
  }
  const std::string& id = ctx.parts[2];
  auto current = kb_->Find(id);
  if (!current.has_value()) {
    return FromError(current.error());
  }
  if (current->status == status) {
    return ErrorResponse(409, "failed_precondition",
                         fmt::format("条目 {} 已经是“{}”状态", id, StatusLabel(status)));
  }
  Article a = *current;
  a.status = status;
  const int64_t expected = *version > 0 ? *version : current->version;
  auto saved = kb_->SaveVersion(a, expected, ctx.login, ToUnix(ctx.now));
  if (!saved.has_value()) {
    return FromError(saved.error());
  }
  ctx.audit(
      status == ArticleStatus::kPublished ? "kb.article.publish" : "kb.article.retire", id,
      json{{"from", domain::kb::StatusName(current->status)}, {"version", saved->version}}.dump());
  return Json(200, ArticleJson(*saved));
}

HttpResponse KbApi::Versions(RequestContext& ctx) {
  if (ctx.actor.role != domain::Role::kAdmin) {
    return AdminOnly();
  }
  auto versions = kb_->History(ctx.parts[2]);
  if (!versions.has_value()) {
    return FromError(versions.error());
  }
  json arr = json::array();
  for (const auto& v : *versions) {
    arr.push_back(ArticleJson(v));
  }
  return Json(200, {{"id", ctx.parts[2]}, {"versions", arr}});
}

namespace {

// A department name as compared: blanks dropped (also inside: "市 城管局"), full-width folded
// to half-width and Latin letters to lower case (text::FoldChar).
std::string OwnerKey(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (size_t k = 1; k < n && i + k < s.size(); ++k) {
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    i += n;
    c = text::FoldChar(c);
    if (c == U' ' || c == U'\t' || c == U'\r' || c == U'\n' || c == U'\u3000') {
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// The unit that owns an article: the one its department names by unit id ("12") or code
// ("city-housing"), the way the console and the API store it; failing that (imported
// articles carry the department as free text) the unit whose name matches once both are
// normalised (OwnerKey). Null when none does.
const domain::Unit* OwnerUnit(const std::string& department, const domain::OrgTree& org) {
  const std::string trimmed = [&] {
    const size_t b = department.find_first_not_of(" \t\r\n");
    const size_t e = department.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : department.substr(b, e - b + 1);
  }();
  if (trimmed.empty()) {
    return nullptr;
  }
  if (const auto id = domain::ParseInt64(trimmed); id.has_value()) {
    if (const domain::Unit* u = org.FindUnit(domain::UnitId(*id)); u != nullptr) {
      return u;
    }
  }
  if (const domain::Unit* u = org.FindUnitByCode(trimmed); u != nullptr) {
    return u;
  }
  const std::string key = OwnerKey(trimmed);
  for (const auto& u : org.units()) {
    if (OwnerKey(u.name) == key) {
      return &u;
    }
  }
  return nullptr;
}

}  // namespace

HttpResponse KbApi::Due(RequestContext& ctx) {
  std::string department = ctx.query["department"];
  const domain::OrgTree& org = ctx.config->org;
  // The unit whose articles are listed: the caller's own unit, or the one an admin names.
  const domain::Unit* owner = nullptr;
  if (IsUnitRole(ctx.actor.role)) {
    owner = org.FindUnit(ctx.actor.unit);
    if (owner == nullptr) {
      return Forbidden("未找到所属单位");
    }
  } else if (ctx.actor.role != domain::Role::kAdmin) {
    return Forbidden("待复审条目只对管理员和责任部门开放");
  } else if (!department.empty()) {
    owner = OwnerUnit(department, org);
  }
  std::string today = ctx.query["today"];
  if (today.empty()) {
    today = FormatLocalDate(ctx.now);
  } else if (!domain::kb::IsIsoDate(today)) {
    return BadRequest("参数 today 应为 YYYY-MM-DD");
  }
  // Matched by unit when the department names one, else (an admin's free text) exactly.
  auto due = kb_->DueForReview(today, owner == nullptr ? department : "");
  if (!due.has_value()) {
    return FromError(due.error());
  }
  json arr = json::array();
  for (const auto& a : *due) {
    const domain::Unit* unit = OwnerUnit(a.department, org);
    if (owner != nullptr && (unit == nullptr || unit->id != owner->id)) {
      continue;
    }
    json row = SummaryJson(a);
    row["unit"] = unit == nullptr ? json(nullptr) : json(unit->id.value());
    arr.push_back(std::move(row));
  }
  json out = {{"today", today},
              {"department", owner == nullptr ? department : owner->name},
              {"articles", arr}};
  if (owner != nullptr) {
    out["unit"] = owner->id.value();
  }
  return Json(200, out);
}

HttpResponse KbApi::Import(RequestContext& ctx) {
  if (ctx.actor.role != domain::Role::kAdmin) {
    return AdminOnly();
  }
  auto format = UploadFormat(ctx);
  if (!format.has_value()) {
    return FromError(format.error());
  }
  if (ctx.req.body.empty()) {
    return BadRequest("请求体为空：应为要导入的文件");
  }
  auto articles = text::ParseArticles(ctx.req.body, *format);
  if (!articles.has_value()) {
    return FromError(articles.error());
  }
  auto summary = kb_->Save(*articles, "import:" + ctx.login, ToUnix(ctx.now));
  if (!summary.has_value()) {
    return FromError(summary.error());
  }
  json out = {{"total", articles->size()},
              {"created", summary->created},
              {"updated", summary->updated},
              {"unchanged", summary->unchanged}};
  ctx.audit("kb.import", ctx.query["format"].empty() ? "upload" : ctx.query["format"], out.dump());
  return Json(200, out);
}

HttpResponse KbApi::Export(RequestContext& ctx) {
  if (ctx.actor.role != domain::Role::kAdmin) {
    return AdminOnly();
  }
  const std::string name = ctx.query["format"].empty() ? "jsonl" : ctx.query["format"];
  auto format = text::ParseKbFormat(name);
  if (!format.has_value()) {
    return FromError(format.error());
  }
  ports::KbFilter filter{ctx.query["category"], ctx.query["department"], ctx.query["region"], false,
                         ""};
  if (!ctx.query["status"].empty()) {
    const auto parsed = domain::kb::ParseStatus(ctx.query["status"]);
    if (!parsed.has_value()) {
      return BadRequest("参数 status 应为 draft、published 或 retired");
    }
    filter.status = domain::kb::StatusName(*parsed);
  }
  auto articles = kb_->List(filter);
  if (!articles.has_value()) {
    return FromError(articles.error());
  }
  auto bytes = *format == text::KbFormat::kXlsx ? text::ArticlesXlsxBytes(*articles)
                                                : text::FormatArticles(*articles, *format);
  if (!bytes.has_value()) {
    return FromError(bytes.error());
  }
  HttpResponse r;
  const char* ext = "jsonl";
  switch (*format) {
    case text::KbFormat::kJsonl:
      r.content_type = "application/x-ndjson; charset=utf-8";
      break;
    case text::KbFormat::kCsv:
      r.content_type = "text/csv; charset=utf-8";
      ext = "csv";
      break;
    case text::KbFormat::kTsv:
      r.content_type = "text/tab-separated-values; charset=utf-8";
      ext = "tsv";
      break;
    case text::KbFormat::kXlsx:
      r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      ext = "xlsx";
      break;
  }
  r.body = std::move(*bytes);
  // 知识库.<ext>, with an ASCII fallback.
  r.headers.emplace_back("Content-Disposition",
                         fmt::format("attachment; filename=\"kb.{0}\"; "
                                     "filename*=UTF-8''%E7%9F%A5%E8%AF%86%E5%BA%93.{0}",
                                     ext));
  r.headers.emplace_back("X-Rows", std::to_string(articles->size()));
  return r;
}

HttpResponse KbApi::Lexicon(RequestContext& ctx) {
  if (ctx.actor.role != domain::Role::kAdmin) {
    return AdminOnly();
  }
  auto view = kb_->Lexicon();
  if (!view.has_value()) {
    return FromError(view.error());
  }
  json builtin = json::array();
  for (const auto& e : view->builtin) {
    builtin.push_back(EntryJson(e));
  }
  json entries = json::array();
  for (const auto& e : view->stored) {
    entries.push_back(EntryJson(e));
  }
  return Json(200, {{"revision", view->revision}, {"entries", entries}, {"builtin", builtin}});
}

HttpResponse KbApi::AddLexicon(RequestContext& ctx, bool synonyms) {
  if (ctx.actor.role != domain::Role::kAdmin) {
    return AdminOnly();
  }
  auto body = ParseBody(ctx.req);
  if (!body.has_value()) {
    return FromError(body.error());
  }
  for (const auto& item : body->items()) {
    if (item.key() != "text") {
      return BadRequest("未知字段: " + item.key());
    }
  }
  if (!body->contains("text") || !(*body)["text"].is_string() ||
      (*body)["text"].get<std::string>().size() > kMaxLexiconBytes) {
    return BadRequest(synonyms ? "需要字段 text：每行一组同义词，如“社保 社会保险”"
                               : "需要字段 text：每行一个词，可跟类型 word、address 或 unit");
  }
  const std::string lines = (*body)["text"].get<std::string>();
  auto added = synonyms ? kb_->AddSynonyms(lines, ctx.login, ToUnix(ctx.now))
                        : kb_->AddWords(lines, ctx.login, ToUnix(ctx.now));
  if (!added.has_value()) {
    return FromError(added.error());
  }
  json arr = json::array();
  for (const auto& e : *added) {
    arr.push_back(EntryJson(e));
  }
  ctx.audit(synonyms ? "kb.lexicon.synonyms.add" : "kb.lexicon.words.add", "lexicon", arr.dump());
  return Json(201, {{"added", arr}});
}

HttpResponse KbApi::RemoveLexicon(RequestContext& ctx) {
  if (ctx.actor.role != domain::Role::kAdmin) {
    return AdminOnly();
  }
  auto id = domain::ParseInt64(ctx.parts[2]);
  if (!id.has_value() || *id < 1) {
    return BadRequest("词条编号应为正整数");
  }
  auto removed = kb_->RemoveLexiconEntry(*id, ctx.login, ToUnix(ctx.now));
  if (!removed.has_value()) {
    return FromError(removed.error());
  }
  ctx.audit("kb.lexicon.remove", ctx.parts[2], EntryJson(*removed).dump());
  return Json(200, {{"removed", EntryJson(*removed)}});
}

}  // namespace hotline::adapters::http

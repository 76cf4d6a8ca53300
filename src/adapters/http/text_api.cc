#include "adapters/http/text_api.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/classify/model_registry.h"
#include "adapters/http/api_support.h"
#include "adapters/http/http_server.h"
#include "common/utf8.h"
#include "domain/fields.h"
#include "domain/privacy.h"

namespace hotline::adapters::http {

using nlohmann::json;

namespace {

constexpr size_t kMaxQueryBytes = 4000;

bool IsOpen(domain::TicketState s) {
  using S = domain::TicketState;
  return s == S::kRegistered || s == S::kDispatched || s == S::kSigned ||
         s == S::kReturnRequested || s == S::kReplied || s == S::kSuspended || s == S::kEscalated;
}

text::Report ReportOf(const domain::Ticket& t) {
  return {t.number,
          t.title,
          t.content,
          t.address,
          std::to_string(t.region.value()),
          ToUnix(t.created_at)};
}

// The first `n` characters of a UTF-8 text.
std::string Head(const std::string& s, size_t n) {
  size_t chars = 0;
  size_t i = 0;
  while (i < s.size() && chars < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  return i < s.size() ? s.substr(0, std::min(i, s.size())) + "…" : s;
}

Result<size_t> LimitParam(std::map<std::string, std::string>& q, size_t fallback, size_t max) {
  if (q["limit"].empty()) {
    return fallback;
  }
  auto v = domain::ParseInt64(q["limit"]);
  if (!v.has_value() || *v < 1) {
    return InvalidArgument("参数 limit 应为正整数");
  }
  return std::min<size_t>(static_cast<size_t>(*v), max);
}

}  // namespace

TextApi::TextApi(TextApiDeps deps)
    : deps_(std::move(deps)), similar_(std::make_shared<text::SimilarityFinder>(deps_.tokenizer)) {
  subscription_ =
      deps_.service.feed().Subscribe([this](const app::TicketChange& c) { OnChange(c); });
}

TextApi::~TextApi() {
  deps_.service.feed().Unsubscribe(subscription_);
  {
    std::unique_lock lock(similar_mu_);
    stopping_ = true;
  }
  if (loader_.joinable()) {
    loader_.join();
  }
  if (rebuilder_.joinable()) {
    rebuilder_.join();
  }
}

void TextApi::OnChange(const app::TicketChange& change) {
  std::unique_lock lock(similar_mu_);
  const bool open = IsOpen(change.ticket.state);
  if (open) {
    (void)similar_->Upsert(ReportOf(change.ticket));
  } else {
    similar_->Remove(change.ticket.number);
  }
  if (rebuilding_) {
    pending_.emplace_back(ReportOf(change.ticket), open);
  }
}

void TextApi::LoadInto(text::SimilarityFinder& finder, bool in_use) {
  ports::TicketFilter f;
  f.states = {domain::TicketState::kRegistered, domain::TicketState::kDispatched,
              domain::TicketState::kSigned,     domain::TicketState::kReturnRequested,
              domain::TicketState::kReplied,    domain::TicketState::kSuspended,
              domain::TicketState::kEscalated};
  f.limit = 5000;
  while (true) {
    {
      std::shared_lock lock(similar_mu_);
      if (stopping_) {
        return;
      }
    }
    auto page = deps_.tickets.List(f);
    if (!page.has_value() || page->empty()) {
      break;
    }
    // The index in use (the first load) is written under the lock; one built aside is not.
    std::unique_lock lock(similar_mu_, std::defer_lock);
    if (in_use) {
      lock.lock();
    }
    for (const auto& t : *page) {
      (void)finder.Upsert(ReportOf(t));
    }
    f.after_id = page->back().id.value();
  }
}

void TextApi::LoadOpenTickets(bool async) {
  std::shared_ptr<text::SimilarityFinder> finder;
  {
    std::shared_lock lock(similar_mu_);
    finder = similar_;
  }
  auto load = [this, finder] {
    LoadInto(*finder, /*in_use=*/true);
    loaded_ = true;
  };
  if (async) {
    loader_ = std::thread(load);
  } else {
    load();
  }
}

void TextApi::RebuildSimilar(std::shared_ptr<const text::Tokenizer> tokenizer) {
  std::unique_lock lock(similar_mu_);
  if (tokenizer == nullptr || stopping_) {
    return;
  }
  wanted_tokenizer_ = std::move(tokenizer);
  if (rebuilding_) {
    return;  // the running rebuild starts again with the wanted tokenizer
  }
  rebuilding_ = true;
  pending_.clear();
  if (rebuilder_.joinable()) {
    rebuilder_.join();  // finished: it cleared rebuilding_ as its last step
  }
  rebuilder_ = std::thread([this] { RunRebuilds(); });
}

void TextApi::RunRebuilds() {
  while (true) {
    std::shared_ptr<const text::Tokenizer> tokenizer;
    {
      std::unique_lock lock(similar_mu_);
      tokenizer = wanted_tokenizer_;
      pending_.clear();
    }
    auto fresh = std::make_shared<text::SimilarityFinder>(*tokenizer);
    LoadInto(*fresh, /*in_use=*/false);
    std::unique_lock lock(similar_mu_);
    if (stopping_) {
      rebuilding_ = false;
      return;
    }
    // Changes that arrived while loading, in order: the last one of a ticket wins.
    for (const auto& [report, open] : pending_) {
      if (open) {
        (void)fresh->Upsert(report);
      } else {
        fresh->Remove(report.id);
      }
    }
    pending_.clear();
    similar_ = std::move(fresh);
    similar_tokenizer_ = tokenizer;
    if (wanted_tokenizer_ == tokenizer) {
      rebuilding_ = false;
      return;
    }
  }
}

std::shared_ptr<const text::Tokenizer> TextApi::similar_tokenizer() const {
  std::shared_lock lock(similar_mu_);
  return similar_tokenizer_;
}

std::vector<RouteDoc> TextApi::Routes() const {
  return {
      {"get", "/api/v1/kb/search",
       "知识库检索：q（必填）, limit, category, department, region；返回高亮摘要", true},
      {"get", "/api/v1/kb/articles/{id}", "知识库条目全文（含办事事项详情）", true},
      {"get", "/api/v1/tickets/similar",
       "与正在登记的诉求相似的在办工单：text（必填）, title, address, region, limit", true},
      {"get", "/api/v1/classify", "诉求分类建议（前三名及置信度）：text（必填）", true},
  };
}

std::string TextApi::MetricsText() {
  std::shared_lock lock(similar_mu_);
  return fmt::format(
      "# HELP hotline_similar_index_tickets Open tickets in the similarity index.\n"
      "# TYPE hotline_similar_index_tickets gauge\nhotline_similar_index_tickets {}\n",
      similar_->size());
}

std::optional<HttpResponse> TextApi::Handle(RequestContext& ctx) {
  if (ctx.Is("GET", {"kb", "search"})) {
    return KbSearch(ctx);
  }
  if (ctx.Is("GET", {"kb", "articles", "*"})) {
    return KbArticle(ctx);
  }
  if (ctx.Is("GET", {"tickets", "similar"})) {
    return Similar(ctx);
  }
  if (ctx.Is("GET", {"classify"})) {
    return Classify(ctx);
  }
  return std::nullopt;
}

HttpResponse TextApi::KbSearch(RequestContext& ctx) {
  if (deps_.kb == nullptr) {
    return ErrorResponse(503, "unavailable", "知识库未启用");
  }
  const std::string& q = ctx.query["q"];
  if (q.empty() || q.size() > kMaxQueryBytes || !IsValidUtf8(q)) {
    return BadRequest("需要检索词 q（不超过 4000 字节的 UTF-8 文本）");
  }
  auto limit = LimitParam(ctx.query, 10, 50);
  if (!limit.has_value()) {
    return FromError(limit.error());
  }
  ports::KbSearchQuery query;
  query.text = q;
  query.limit = *limit;
  query.filter.category = ctx.query["category"];
  query.filter.department = ctx.query["department"];
  query.filter.region = ctx.query["region"];
  query.filter.published_only = true;
  // Not under kb_mu_: the store behind the server's module (SharedKb) is thread-safe, and
  // searches from its in-memory index run concurrently.
  const Result<std::vector<ports::KbSearchHit>> hits = deps_.kb->Search(query);
  if (!hits.has_value()) {
    return FromError(hits.error());
  }
  json arr = json::array();
  for (const auto& h : *hits) {
    arr.push_back({{"id", h.article.id},
                   {"kind", domain::kb::KindName(h.article.kind)},
                   {"title", h.article.title},
                   {"snippet", h.snippet},
                   {"answer", h.article.answer},
                   {"department", h.article.department},
                   {"category", h.article.category},
                   {"score", h.score}});
  }
  return Json(200, {{"query", q}, {"hits", arr}});
}

HttpResponse TextApi::KbArticle(RequestContext& ctx) {
  if (deps_.kb == nullptr) {
    return ErrorResponse(503, "unavailable", "知识库未启用");
  }
  Result<domain::kb::Article> a = InvalidArgument("");
  {
    std::lock_guard lock(kb_mu_);
    a = deps_.kb->Find(ctx.parts[2]);
  }
  if (!a.has_value()) {
    return FromError(a.error());
  }
  // Drafts and retired articles are the knowledge-base admins' business (KbApi).
  if (a->status != domain::kb::ArticleStatus::kPublished &&
      ctx.actor.role != domain::Role::kAdmin) {
    return NotFoundResponse(fmt::format("知识库中没有条目 {}", a->id));
  }
  json j = {{"id", a->id},
            {"kind", domain::kb::KindName(a->kind)},
            {"title", a->title},
            {"answer", a->answer},
            {"category", a->category},
            {"department", a->department},
            {"region", a->region},
            {"keywords", a->keywords},
            {"source", a->source},
            {"valid_from", a->valid_from},
            {"valid_to", a->valid_to},
            {"review_date", a->review_date},
            {"status", domain::kb::StatusName(a->status)},
            {"version", a->version}};
  if (a->kind == domain::kb::ArticleKind::kServiceItem) {
    j["service"] = {{"conditions", a->service.conditions},
                    {"materials", a->service.materials},
                    {"place", a->service.place},
                    {"time_limit", a->service.time_limit},
                    {"fee", a->service.fee}};
  }
  return Json(200, j);
}

HttpResponse TextApi::Similar(RequestContext& ctx) {
  const std::string& body = ctx.query["text"];
  if (body.empty() || body.size() > kMaxQueryBytes || !IsValidUtf8(body) ||
      !IsValidUtf8(ctx.query["title"]) || !IsValidUtf8(ctx.query["address"])) {
    return BadRequest("需要诉求内容 text（不超过 4000 字节的 UTF-8 文本）");
  }
  auto limit = LimitParam(ctx.query, 5, 20);
  if (!limit.has_value()) {
    return FromError(limit.error());
  }
  text::Report report{
      "", ctx.query["title"], body, ctx.query["address"], ctx.query["region"], ToUnix(ctx.now)};
  if (current_tokenizer_) {
    // The lexicon changed (maybe in another process): rebuild with the new tokenizer.
    auto current = current_tokenizer_();
    std::shared_lock lock(similar_mu_);
    const text::Tokenizer* in_use =
        similar_tokenizer_ != nullptr ? similar_tokenizer_.get() : &deps_.tokenizer;
    if (current != nullptr && current.get() != in_use && current != wanted_tokenizer_) {
      lock.unlock();
      RebuildSimilar(std::move(current));
    }
  }
  std::vector<text::SimilarMatch> matches;
  {
    std::shared_lock lock(similar_mu_);
    // Ask for more than shown: some may be outside the viewer's scope.
    matches = similar_->FindSimilar(report, *limit * 3);
  }
  json arr = json::array();
  for (const auto& m : matches) {
    if (arr.size() >= *limit) {
      break;
    }
    auto t = deps_.tickets.FindByNumber(m.id);
    if (!t.has_value() || !domain::MayView(ctx.actor, *t, ctx.config->org)) {
      continue;
    }
    arr.push_back({{"number", t->number},
                   {"score", m.score},
                   {"text_score", m.text},
                   {"places", m.places},
                   {"same_region", m.same_region},
                   {"days_apart", m.days_apart},
                   {"title", t->title},
                   {"content", Head(t->content, 120)},
                   {"address", t->address},
                   {"state", domain::Code(t->state)},
                   {"state_name", domain::ChineseName(t->state)},
                   {"created_at", FormatLocal(t->created_at)}});
  }
  return Json(200, {{"similar", arr}, {"complete", loaded_.load()}});
}

HttpResponse TextApi::Classify(RequestContext& ctx) {
  const std::string& body = ctx.query["text"];
  if (body.empty() || body.size() > kMaxQueryBytes || !IsValidUtf8(body)) {
    return BadRequest("需要诉求内容 text（不超过 4000 字节的 UTF-8 文本）");
  }
  if (deps_.classifier == nullptr) {
    return Json(200, {{"available", false},
                      {"message", "未加载分类模型，请人工选择分类"},
                      {"suggestions", json::array()}});
  }
  auto predictions = deps_.classifier->Predict(body, 3);
  if (!predictions.has_value()) {
    // No model yet or nothing to classify: the intake goes on without a suggestion.
    return Json(200, {{"available", false},
                      {"message", predictions.error().message},
                      {"suggestions", json::array()}});
  }
  json arr = json::array();
  for (const auto& p : *predictions) {
    json s = {{"label", p.label}, {"confidence", p.confidence}};
    // A label that names a category of the tree (a path, a unique leaf name, else the first
    // category of that name: the mapping the recorded suggestions use) is given with its id.
    if (auto c = classify::CategoryOfLabel(ctx.config->categories, p.label); c.valid()) {
      s["category"] = c.value();
      s["path"] = ctx.config->categories.PathOf(c);
    }
    arr.push_back(s);
  }
  return Json(200, {{"available", true}, {"suggestions", arr}});
}

}  // namespace hotline::adapters::http

#include "adapters/http/hot_topics_api.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/http/api_support.h"
#include "adapters/text/ticket_topics.h"
#include "domain/fields.h"
#include "domain/privacy.h"

namespace hotline::adapters::http {

using nlohmann::json;

namespace {

constexpr int64_t kDaySeconds = 86400;
constexpr int64_t kDefaultDays = 7;
constexpr int64_t kMaxDays = 366;
constexpr size_t kMaxTopics = 100;
constexpr size_t kMaxClusters = 200;
constexpr size_t kListedNumbers = 100;  // ticket numbers listed per topic

std::string Get(const RequestContext& ctx, const char* key) {
  auto it = ctx.query.find(key);
  return it == ctx.query.end() ? std::string() : it->second;
}

Result<size_t> PositiveParam(const RequestContext& ctx, const char* key, size_t fallback,
                             size_t min, size_t max) {
  const std::string v = Get(ctx, key);
  if (v.empty()) {
    return fallback;
  }
  auto n = domain::ParseInt64(v);
  if (!n.has_value() || *n < static_cast<int64_t>(min)) {
    return InvalidArgument(fmt::format("参数 {} 应为不小于 {} 的整数: {}", key, min, v));
  }
  return std::min(static_cast<size_t>(*n), max);
}

template <typename Id>
Result<std::optional<Id>> IdParam(const RequestContext& ctx, const char* key) {
  const std::string v = Get(ctx, key);
  if (v.empty()) {
    return std::optional<Id>{};
  }
  auto n = domain::ParseInt64(v);
  if (!n.has_value() || *n <= 0) {
    return InvalidArgument(fmt::format("参数 {} 应为正整数编号: {}", key, v));
  }
  return std::optional<Id>{Id{*n}};
}

struct Period {
  Instant from;  // local midnight of the first day
  Instant to;    // local midnight after the last day (exclusive)
};

// from/to are local dates, both inclusive; default: the 7 days up to today.
Result<Period> PeriodOf(const RequestContext& ctx) {
  const std::string from = Get(ctx, "from");
  const std::string to = Get(ctx, "to");
  const auto day = [](const std::string& s) -> std::optional<Instant> {
    if (s.size() != 10) {
      return std::nullopt;
    }
    return ParseInstant(s);
  };
  std::optional<Instant> last = to.empty() ? day(FormatLocalDate(ctx.now)) : day(to);
  if (!last) {
    return InvalidArgument(fmt::format("参数 to 应为日期 YYYY-MM-DD: {}", to));
  }
  std::optional<Instant> first =
      from.empty() ? std::optional<Instant>(*last - Duration((kDefaultDays - 1) * kDaySeconds))
                   : day(from);
  if (!first) {
    return InvalidArgument(fmt::format("参数 from 应为日期 YYYY-MM-DD: {}", from));
  }
  if (*first > *last) {
    return InvalidArgument("参数 from 应不晚于 to");
  }
  if (*last - *first >= Duration(kMaxDays * kDaySeconds)) {
    return InvalidArgument(fmt::format("期间最长 {} 天", kMaxDays));
  }
  return Period{*first, *last + Duration(kDaySeconds)};
}

// The actor's data scope (docs/hot_topics.md, "Who sees what"); fills the region a county
// platform is limited to. kPermissionDenied for roles without one.
Result<std::function<bool(const domain::Ticket&)>> ScopeOf(
    const RequestContext& ctx, std::optional<domain::RegionId>& region) {
  using domain::Role;
  const auto& org = ctx.config->org;
  switch (ctx.actor.role) {
    case Role::kLeader:
    case Role::kInspector:
    case Role::kSupervisor:
    case Role::kAdmin:
    case Role::kDispatcher:
    case Role::kSystem:
      return std::function<bool(const domain::Ticket&)>{};
    case Role::kUnitHandler:
    case Role::kUnitAdmin: {
      const domain::Unit* unit = org.FindUnit(ctx.actor.unit);
      if (unit == nullptr) {
        return PermissionDenied("用户没有所属单位，无权查看热点");
      }
      if (unit->kind == domain::UnitKind::kPlatform && unit->region.valid()) {
        // A county platform sees its county: every ticket there, and the ones it handles.
        if (region && !org.IsRegionWithin(*region, unit->region)) {
          return PermissionDenied("只能查看本辖区的热点");
        }
        if (!region) {
          region = unit->region;
        }
        return std::function<bool(const domain::Ticket&)>{};
      }
      // A department sees what rises among its own tickets, never the city's.
      auto shared = ctx.config;
      const domain::Actor actor = ctx.actor;
      return std::function<bool(const domain::Ticket&)>([shared, actor](const domain::Ticket& t) {
        return domain::MayView(actor, t, shared->org);
      });
    }
    case Role::kOperator:
    case Role::kCallback:
      break;
  }
  return PermissionDenied(
      fmt::format("角色“{}”无权查看热点和聚集诉求", domain::ChineseName(ctx.actor.role)));
}

}  // namespace

json HotTopicJson(const text::HotTopic& t, size_t rank) {
  json examples = json::array();
  for (size_t i = 0; i < t.examples.size(); ++i) {
    examples.push_back({{"number", t.example_ids[i]}, {"title", t.examples[i]}});
  }
  json numbers = json::array();
  for (size_t i = 0; i < t.ids.size() && i < kListedNumbers; ++i) {
    numbers.push_back(t.ids[i]);
  }
  json j = {{"rank", rank},
            {"kind", text::Code(t.kind)},
            {"kind_name", text::ChineseName(t.kind)},
            {"label", t.label},
            {"count", t.count},
            {"before", t.before},
            {"new", t.is_new},
            {"growth", std::round(t.growth * 100) / 100},
            {"score", std::round(t.score * 100) / 100},
            {"explanation", t.explanation},
            {"examples", examples},
            {"numbers", numbers}};
  if (t.kind == text::HotTopic::Kind::kGrowth) {
    j["category"] = t.category;
    j["area"] = t.area;
    j["expected"] = std::round(t.expected * 100) / 100;
    j["baseline_periods"] = t.periods;
    j["p_value"] = t.p_value;
  }
  return j;
}

HotTopicsApi::HotTopicsApi(ports::TicketStore& tickets, const text::Tokenizer& tokenizer,
                           size_t max_tickets)
    : tickets_(tickets), tokenizer_(tokenizer), max_tickets_(max_tickets) {}

std::vector<RouteDoc> HotTopicsApi::Routes() const {
  return {
      {"get", "/api/v1/hot-topics",
       "热点：from, to（YYYY-MM-DD，含两端，默认近 7 天）, region, category, limit；相似诉求聚集、"
       "地点反复出现、分类在区域内明显增长，按热度排序并附说明和示例工单（按数据范围）",
       true},
      {"get", "/api/v1/tickets/clusters",
       "聚集诉求：from, to, min_size（默认 3）, region, limit；期间内相似诉求的分组及工单编号，"
       "附建议的主单和可并单的工单（按数据范围）",
       true},
  };
}

std::optional<HttpResponse> HotTopicsApi::Handle(RequestContext& ctx) {
  if (ctx.Is("GET", {"hot-topics"})) {
    return HotTopics(ctx);
  }
  if (ctx.Is("GET", {"tickets", "clusters"})) {
    return Clusters(ctx);
  }
  return std::nullopt;
}

HttpResponse HotTopicsApi::HotTopics(RequestContext& ctx) {
  text::TicketTopicRequest request;
  auto region = IdParam<domain::RegionId>(ctx, "region");
  auto category = IdParam<domain::CategoryId>(ctx, "category");
  auto limit = PositiveParam(ctx, "limit", 20, 1, kMaxTopics);
  auto period = PeriodOf(ctx);
  if (auto bad = FirstError(region, category, limit, period)) {
    return std::move(*bad);
  }
  request.region = *region;
  request.category = *category;
  if (request.region && ctx.config->org.FindRegion(*request.region) == nullptr) {
    return NotFoundResponse(fmt::format("区域不存在: {}", request.region->value()));
  }
  if (request.category && ctx.config->categories.Find(*request.category) == nullptr) {
    return NotFoundResponse(fmt::format("诉求分类不存在: {}", request.category->value()));
  }
  auto scope = ScopeOf(ctx, request.region);
  if (!scope.has_value()) {
    return FromError(scope.error());
  }
  request.visible = std::move(*scope);
  request.from = period->from;
  request.to = period->to;
  request.limit = *limit;
  request.max_tickets = max_tickets_;
  std::optional<Result<text::TicketHotTopics>> served;
  if (const auto index = CurrentIndex(); index != nullptr) {
    served = index->Find(ctx.config->org, ctx.config->categories, request, ctx.now);
  }
  const bool from_index = served.has_value();
  auto found = from_index ? std::move(*served)
                          : text::FindTicketHotTopics(tickets_, ctx.config->org,
                                                      ctx.config->categories, tokenizer_, request);
  if (!found.has_value()) {
    return FromError(found.error());
  }
  json topics = json::array();
  for (size_t i = 0; i < found->topics.size(); ++i) {
    topics.push_back(HotTopicJson(found->topics[i], i + 1));
  }
  const Duration length = period->to - period->from;
  json scope_json = json::object();
  if (request.region) {
    scope_json["region"] = request.region->value();
    scope_json["region_name"] = ctx.config->org.FindRegion(*request.region)->name;
  }
  if (request.category) {
    scope_json["category"] = request.category->value();
    scope_json["category_path"] = ctx.config->categories.PathOf(*request.category);
  }
  return Json(200, {{"from", FormatLocalDate(period->from)},
                    {"to", FormatLocalDate(period->to - Duration(1))},
                    {"previous_from", FormatLocalDate(period->from - length)},
                    {"previous_to", FormatLocalDate(period->from - Duration(1))},
                    {"scope", scope_json},
                    {"reports", found->reports},
                    {"baseline_reports", found->baseline_reports},
                    {"baseline_periods", found->baseline_periods},
                    {"source", from_index ? "index" : "store"},
                    {"topics", topics}});
}

HttpResponse HotTopicsApi::Clusters(RequestContext& ctx) {
  text::TicketTopicRequest request;
  auto region = IdParam<domain::RegionId>(ctx, "region");
  auto min_size = PositiveParam(ctx, "min_size", 3, 2, 1000);
  auto limit = PositiveParam(ctx, "limit", 50, 1, kMaxClusters);
  auto period = PeriodOf(ctx);
  if (auto bad = FirstError(region, min_size, limit, period)) {
    return std::move(*bad);
  }
  request.region = *region;
  if (request.region && ctx.config->org.FindRegion(*request.region) == nullptr) {
    return NotFoundResponse(fmt::format("区域不存在: {}", request.region->value()));
  }
  auto scope = ScopeOf(ctx, request.region);
  if (!scope.has_value()) {
    return FromError(scope.error());
  }
  request.visible = std::move(*scope);
  request.from = period->from;
  request.to = period->to;
  request.min_size = *min_size;
  request.limit = *limit;
  request.max_tickets = max_tickets_;
  std::optional<Result<std::vector<text::TicketCluster>>> served;
  if (const auto index = CurrentIndex(); index != nullptr) {
    served = index->FindClusters(ctx.config->org, request, ctx.now);
  }
  const bool from_index = served.has_value();
  auto clusters = from_index
                      ? std::move(*served)
                      : text::FindTicketClusters(tickets_, tokenizer_, ctx.config->org, request);
  if (!clusters.has_value()) {
    return FromError(clusters.error());
  }
  json arr = json::array();
  for (const auto& c : *clusters) {
    json tickets = json::array();
    for (const auto& t : c.tickets) {
      const domain::Region* r = ctx.config->org.FindRegion(t.region);
      tickets.push_back({{"number", t.number},
                         {"title", t.title},
                         {"address", t.address},
                         {"region_name", r != nullptr ? r->name : ""},
                         {"state", domain::Code(t.state)},
                         {"state_name", domain::ChineseName(t.state)},
                         {"created_at", FormatLocal(t.created_at)}});
    }
    std::string label;
    for (const auto& term : c.top_terms) {
      label += (label.empty() ? "" : " ") + term;
    }
    if (label.empty() && !c.tickets.empty()) {
      label = c.tickets.front().title;
    }
    arr.push_back({{"label", label},
                   {"size", c.tickets.size()},
                   {"open", c.open},
                   {"first_at", FormatLocal(c.tickets.front().created_at)},
                   {"last_at", FormatLocal(c.tickets.back().created_at)},
                   {"master", c.master.empty() ? json(nullptr) : json(c.master)},
                   {"mergeable", c.mergeable},
                   {"tickets", tickets}});
  }
  return Json(200, {{"from", FormatLocalDate(period->from)},
                    {"to", FormatLocalDate(period->to - Duration(1))},
                    {"source", from_index ? "index" : "store"},
                    {"clusters", arr}});
}

std::shared_ptr<text::HotTopicIndex> HotTopicsApi::CurrentIndex() const {
  if (live_ == nullptr) {
    return index_;
  }
  if (current_tokenizer_) {
    live_->Rebuild(current_tokenizer_());  // nothing unless the lexicon changed
  }
  return live_->current();
}

app::HotTopicProvider MakeReportHotTopicProvider(
    ports::TicketStore& tickets, std::function<std::shared_ptr<const app::HotlineConfig>()> config,
    const text::Tokenizer& tokenizer, std::function<std::shared_ptr<text::HotTopicIndex>()> index,
    std::function<Instant()> now) {
  return [&tickets, config = std::move(config), &tokenizer, index = std::move(index),
          now = std::move(now)](
             const std::string& from, const std::string& to,
             std::optional<domain::CategoryId> category) -> Result<std::vector<app::TextHotTopic>> {
    auto first = ParseInstant(from);
    auto last = ParseInstant(to);
    if (!first || !last) {
      return InvalidArgument(fmt::format("期间应为日期: {} 至 {}", from, to));
    }
    const auto cfg = config();
    text::TicketTopicRequest request;
    request.from = *first;
    request.to = *last + Duration(kDaySeconds);
    request.category = category;
    request.limit = 10;
    std::optional<Result<text::TicketHotTopics>> served;
    if (index && now) {
      if (const auto kept = index(); kept != nullptr) {
        served = kept->Find(cfg->org, cfg->categories, request, now());
      }
    }
    HOTLINE_ASSIGN_OR_RETURN(
        text::TicketHotTopics found,
        served.has_value()
            ? std::move(*served)
            : text::FindTicketHotTopics(tickets, cfg->org, cfg->categories, tokenizer, request));
    std::vector<app::TextHotTopic> out;
    for (const auto& t : found.topics) {
      out.push_back({std::string(text::ChineseName(t.kind)), t.label, static_cast<int64_t>(t.count),
                     static_cast<int64_t>(t.before), t.explanation, t.example_ids});
    }
    return out;
  };
}

}  // namespace hotline::adapters::http

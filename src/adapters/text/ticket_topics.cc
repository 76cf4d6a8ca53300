#include "adapters/text/ticket_topics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "domain/lifecycle.h"

namespace hotline::adapters::text {

namespace {

constexpr int kPage = 5000;

bool IsOpen(domain::TicketState s) {
  using S = domain::TicketState;
  return s == S::kRegistered || s == S::kDispatched || s == S::kSigned ||
         s == S::kReturnRequested || s == S::kReplied || s == S::kSuspended || s == S::kEscalated;
}

Report ReportOf(const domain::Ticket& t) {
  return {t.number,
          t.title,
          t.content,
          t.address,
          std::to_string(t.region.value()),
          ToUnix(t.created_at)};
}

bool InCategory(const domain::CategoryTree& categories, domain::CategoryId c,
                domain::CategoryId want) {
  if (!c.valid()) {
    return false;
  }
  const auto chain = categories.Ancestry(c);
  return std::find(chain.begin(), chain.end(), want) != chain.end();
}

// Tickets registered in [from, to) that pass the request's filters and scope.
Result<std::vector<domain::Ticket>> Load(ports::TicketStore& store, const domain::OrgTree& org,
                                         const domain::CategoryTree* categories,
                                         const TicketTopicRequest& request, Instant from,
                                         Instant to) {
  ports::TicketFilter f;
  f.created_from = from;
  f.created_to = to;
  f.limit = kPage;
  std::vector<domain::Ticket> out;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> page, store.List(f));
    for (auto& t : page) {
      if (request.region && (!t.region.valid() || !org.IsRegionWithin(t.region, *request.region))) {
        continue;
      }
      if (request.category &&
          (categories == nullptr || !InCategory(*categories, t.category, *request.category))) {
        continue;
      }
      if (request.visible && !request.visible(t)) {
        continue;
      }
      out.push_back(std::move(t));
      if (out.size() > request.max_tickets) {
        return Error{ErrorCode::kResourceExhausted,
                     fmt::format("所选期间和范围内的工单超过 {} 件，请缩短期间或限定区域、分类",
                                 request.max_tickets)};
      }
    }
    if (static_cast<int>(page.size()) < kPage) {
      break;
    }
    f.after_id = page.back().id.value();
  }
  return out;
}

// When the store's first ticket was registered (0 if it holds none).
Result<int64_t> DataSince(ports::TicketStore& store) {
  ports::TicketFilter f;
  f.limit = 1;
  HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> first, store.List(f));
  return first.empty() ? 0 : ToUnix(first.front().created_at);
}

}  // namespace

ReportFacets FacetsOf(const domain::Ticket& ticket, const domain::OrgTree& org,
                      const domain::CategoryTree& categories, bool township_areas) {
  ReportFacets facets;
  if (ticket.category.valid() && categories.Find(ticket.category) != nullptr) {
    const auto chain = categories.Ancestry(ticket.category);  // self first
    facets.category = categories.PathOf(chain.size() >= 2 ? chain[chain.size() - 2] : chain[0]);
  }
  const domain::UnitLevel level =
      township_areas ? domain::UnitLevel::kTownship : domain::UnitLevel::kCounty;
  const domain::Region* region = org.FindRegion(ticket.region);
  while (region != nullptr && region->level > level) {
    region = org.FindRegion(region->parent);
  }
  if (region != nullptr && region->level == level) {
    facets.area = region->name;
  }
  return facets;
}

Result<TicketHotTopics> FindTicketHotTopics(ports::TicketStore& store, const domain::OrgTree& org,
                                            const domain::CategoryTree& categories,
                                            const Tokenizer& tokenizer,
                                            const TicketTopicRequest& request,
                                            HotTopicOptions options) {
  if (request.from >= request.to) {
    return InvalidArgument("期间的开始应早于结束");
  }
  const Duration length = request.to - request.from;
  options.from = ToUnix(request.from);
  options.to = ToUnix(request.to);
  options.limit = request.limit;
  HOTLINE_ASSIGN_OR_RETURN(options.data_since, DataSince(store));
  const auto periods = static_cast<int64_t>(options.baseline_periods);
  HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> tickets,
                           Load(store, org, &categories, request,
                                request.from - length * std::max<int64_t>(periods, 1), request.to));
  bool township_areas = false;
  if (request.region) {
    const domain::Region* r = org.FindRegion(*request.region);
    township_areas = r != nullptr && r->level >= domain::UnitLevel::kCounty;
  }
  std::vector<Report> reports;
  std::vector<ReportFacets> facets;
  reports.reserve(tickets.size());
  facets.reserve(tickets.size());
  SimilarityFinder finder(tokenizer);
  const int64_t previous = ToUnix(request.from - length);
  TicketHotTopics out;
  for (const auto& t : tickets) {
    reports.push_back(ReportOf(t));
    facets.push_back(FacetsOf(t, org, categories, township_areas));
    if (reports.back().time >= options.from) {
      ++out.reports;
    } else {
      ++out.baseline_reports;
    }
    // Only the period and the one before are clustered; earlier ones only count.
    if (reports.back().time >= previous) {
      HOTLINE_RETURN_IF_ERROR(finder.Upsert(reports.back()));
    }
  }
  for (int64_t i = periods; i >= 1; --i) {
    if (options.from - i * length.count() >= options.data_since) {
      out.baseline_periods = static_cast<size_t>(i);
      break;
    }
  }
  out.topics = FindHotTopics(finder, reports, facets, options);
  return out;
}

Result<std::vector<TicketCluster>> FindTicketClusters(ports::TicketStore& store,
                                                      const Tokenizer& tokenizer,
                                                      const domain::OrgTree& org,
                                                      const TicketTopicRequest& request) {
  if (request.from >= request.to) {
    return InvalidArgument("期间的开始应早于结束");
  }
  HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> tickets,
                           Load(store, org, nullptr, request, request.from, request.to));
  SimilarityFinder finder(tokenizer);
  std::vector<Report> reports;
  std::unordered_map<std::string, size_t> by_number;
  for (size_t i = 0; i < tickets.size(); ++i) {
    reports.push_back(ReportOf(tickets[i]));
    by_number.emplace(tickets[i].number, i);
    HOTLINE_RETURN_IF_ERROR(finder.Upsert(reports.back()));
  }
  ClusterOptions options;
  options.min_size = std::max<size_t>(request.min_size, 2);
  std::vector<TicketCluster> clusters;
  for (const auto& c : ClusterReports(finder, reports, options)) {
    TicketCluster cluster;
    std::vector<const Report*> members;
    for (const auto& id : c.ids) {
      members.push_back(&reports[by_number.at(id)]);
    }
    cluster.top_terms = SharedTerms(tokenizer, members);
    for (const auto& id : c.ids) {
      const domain::Ticket& t = tickets[by_number.at(id)];
      cluster.tickets.push_back(t);
      if (IsOpen(t.state)) {
        ++cluster.open;
        if (cluster.master.empty()) {
          cluster.master = t.number;
        }
      }
    }
    for (const auto& t : cluster.tickets) {
      if (t.number != cluster.master && !cluster.master.empty() &&
          domain::IsAllowedIn(domain::Action::kMerge, t.state)) {
        cluster.mergeable.push_back(t.number);
      }
    }
    clusters.push_back(std::move(cluster));
  }
  std::stable_sort(clusters.begin(), clusters.end(),
                   [](const TicketCluster& a, const TicketCluster& b) {
                     if (a.mergeable.size() != b.mergeable.size()) {
                       return a.mergeable.size() > b.mergeable.size();
                     }
                     return a.tickets.size() > b.tickets.size();
                   });
  if (clusters.size() > request.limit) {
    clusters.resize(request.limit);
  }
  return clusters;
}

namespace {

constexpr int64_t kDay = 86400;

// Local midnight (UTC+8, as FormatLocalDate) of the day of `t`.
int64_t LocalMidnight(Instant t) {
  const auto day = ParseInstant(FormatLocalDate(t));
  return day.has_value() ? ToUnix(*day) : ToUnix(t) - ToUnix(t) % kDay;
}

bool AreasAreTownships(const domain::OrgTree& org, const TicketTopicRequest& request) {
  if (!request.region) {
    return false;
  }
  const domain::Region* r = org.FindRegion(*request.region);
  return r != nullptr && r->level >= domain::UnitLevel::kCounty;
}

}  // namespace

HotTopicIndex::HotTopicIndex(ports::TicketStore& store, const Tokenizer& tokenizer,
                             HotTopicIndexOptions options)
    : store_(store), tokenizer_(tokenizer), options_(options), finder_(tokenizer) {}

HotTopicIndex::~HotTopicIndex() {
  if (loader_.joinable()) {
    loader_.join();
  }
}

void HotTopicIndex::LoadInBackground(Instant now) {
  loader_ = std::thread([this, now] {
    if (const Status loaded = Load(now); !loaded.has_value()) {
      std::fprintf(stderr, "hotline: 热点索引未能加载（%s），热点按次从库中计算\n",
                   loaded.error().message.c_str());
    }
  });
}

Status HotTopicIndex::Load(Instant now) {
  const int64_t today = LocalMidnight(now);
  const int64_t count_start = today - (options_.count_days - 1) * kDay;
  const int64_t text_start = today - (options_.text_days - 1) * kDay;
  HOTLINE_ASSIGN_OR_RETURN(const int64_t data_since, DataSince(store_));
  {
    std::unique_lock lock(mu_);
    count_start_ = count_start;
    text_start_ = text_start;
    data_since_ = data_since;
  }
  ports::TicketFilter f;
  f.created_from = FromUnix(count_start);
  f.limit = kPage;
  while (true) {
    HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> page, store_.List(f));
    {
      std::unique_lock lock(mu_);
      for (const auto& t : page) {
        ApplyLocked(t);
      }
    }
    if (static_cast<int>(page.size()) < kPage) {
      break;
    }
    f.after_id = page.back().id.value();
  }
  std::unique_lock lock(mu_);
  DrainLocked();  // the feed's changes are newer than what was read
  ComputeSignals();
  loaded_ = true;
  return OkStatus();
}

void HotTopicIndex::Apply(const domain::Ticket& ticket) {
  size_t waiting = 0;
  {
    std::lock_guard lock(pending_mu_);
    pending_.push_back(ticket);
    waiting = pending_.size();
  }
  // Changes are applied at the next call; many of them now, unless a call is running.
  if (waiting >= 4096 && loaded_) {
    std::unique_lock lock(mu_, std::try_to_lock);
    if (lock.owns_lock()) {
      DrainLocked();
    }
  }
}

void HotTopicIndex::DrainLocked() {
  std::vector<domain::Ticket> pending;
  {
    std::lock_guard lock(pending_mu_);
    pending.swap(pending_);
  }
  for (const auto& t : pending) {
    ApplyLocked(t);
  }
  if (loaded_ && !pending.empty()) {
    ComputeSignals();
  }
}

void HotTopicIndex::ComputeSignals() {
  for (const int64_t id : unsignalled_) {
    const auto it = records_.find(id);
    if (it != records_.end() && it->second.signals == nullptr &&
        it->second.report.time >= text_start_) {
      it->second.signals =
          std::make_shared<const ReportSignals>(SignalsOf(finder_, it->second.report));
    }
  }
  unsignalled_.clear();
}

void HotTopicIndex::ApplyLocked(const domain::Ticket& t) {
  const int64_t time = ToUnix(t.created_at);
  if (data_since_ == 0 || time < data_since_) {
    data_since_ = time;
  }
  if (time < count_start_) {
    return;
  }
  Record& record = records_[t.id.value()];
  record.region = t.region;
  record.category = t.category;
  Report report = ReportOf(t);
  if (record.signals != nullptr &&
      (report.title != record.report.title || report.text != record.report.text ||
       report.address != record.report.address)) {
    record.signals = nullptr;  // the text changed: looked up again
  }
  record.report = std::move(report);
  if (time >= text_start_) {
    (void)finder_.Upsert(record.report);
    if (record.signals == nullptr) {
      unsignalled_.push_back(t.id.value());
    }
  } else {
    record.report = Report{t.number, "", "", "", record.report.region, time};
  }
}

void HotTopicIndex::Advance(Instant now) {
  DrainLocked();
  const int64_t today = LocalMidnight(now);
  const int64_t count_start = today - (options_.count_days - 1) * kDay;
  const int64_t text_start = today - (options_.text_days - 1) * kDay;
  if (text_start <= text_start_ && count_start <= count_start_) {
    return;
  }
  for (auto it = records_.begin(); it != records_.end();) {
    Report& r = it->second.report;
    if (r.time < text_start && r.time >= text_start_) {
      finder_.Remove(r.id);
      r = Report{r.id, "", "", "", r.region, r.time};
      it->second.signals = nullptr;
    }
    it = r.time < count_start ? records_.erase(it) : std::next(it);
  }
  text_start_ = std::max(text_start_, text_start);
  count_start_ = std::max(count_start_, count_start);
}

std::optional<Result<TicketHotTopics>> HotTopicIndex::Find(const domain::OrgTree& org,
                                                           const domain::CategoryTree& categories,
                                                           const TicketTopicRequest& request,
                                                           Instant now, HotTopicOptions options) {
  if (request.visible) {
    return std::nullopt;  // a unit's own tickets: the store knows who may see what
  }
  if (request.from >= request.to) {
    return Result<TicketHotTopics>(InvalidArgument("期间的开始应早于结束"));
  }
  {
    std::unique_lock lock(mu_);
    if (!loaded_) {
      return std::nullopt;
    }
    Advance(now);
  }
  std::shared_lock lock(mu_);
  const int64_t length = (request.to - request.from).count();
  const int64_t periods = std::max<int64_t>(static_cast<int64_t>(options.baseline_periods), 1);
  const int64_t window_start = ToUnix(request.from) - length;
  const int64_t load_start = ToUnix(request.from) - length * periods;
  if (window_start < text_start_) {
    return std::nullopt;
  }
  if (load_start < count_start_ && data_since_ != 0 && data_since_ < count_start_) {
    return std::nullopt;  // the baseline reaches days no longer kept
  }
  options.from = ToUnix(request.from);
  options.to = ToUnix(request.to);
  options.limit = request.limit;
  options.data_since = data_since_;
  const bool township_areas = AreasAreTownships(org, request);
  TicketHotTopics out;
  std::vector<Report> reports;
  std::vector<ReportFacets> facets;
  std::vector<const ReportSignals*> signals;
  // FacetsOf by category and region, computed once each.
  std::unordered_map<int64_t, std::string> category_paths;
  std::unordered_map<int64_t, std::string> areas;
  const auto facet_of = [&](const Record& record) {
    auto c = category_paths.find(record.category.value());
    auto a = areas.find(record.region.value());
    if (c == category_paths.end() || a == areas.end()) {
      domain::Ticket slim;
      slim.region = record.region;
      slim.category = record.category;
      ReportFacets f = FacetsOf(slim, org, categories, township_areas);
      c = category_paths.insert_or_assign(record.category.value(), f.category).first;
      a = areas.insert_or_assign(record.region.value(), f.area).first;
    }
    return ReportFacets{c->second, a->second};
  };
  size_t beyond = 0;  // kept texts after the period
  for (const auto& [id, record] : records_) {
    const int64_t time = record.report.time;
    if (time >= options.to) {
      ++beyond;
      continue;
    }
    if (time < load_start) {
      continue;
    }
    if (request.region &&
        (!record.region.valid() || !org.IsRegionWithin(record.region, *request.region))) {
      continue;
    }
    if (request.category && !InCategory(categories, record.category, *request.category)) {
      continue;
    }
    reports.push_back(record.report);
    facets.push_back(facet_of(record));
    signals.push_back(record.signals.get());
    ++(time >= options.from ? out.reports : out.baseline_reports);
  }
  for (int64_t i = static_cast<int64_t>(options.baseline_periods); i >= 1; --i) {
    if (options.from - i * length >= options.data_since) {
      out.baseline_periods = static_cast<size_t>(i);
      break;
    }
  }
  // The long-lived finder holds exactly the texts a call would index when the request is
  // the whole city over the kept text days; otherwise the window is indexed for the call.
  if (!request.region && !request.category && window_start == text_start_ && beyond == 0) {
    ++live_calls_;
    // Neighbours and places were looked up as the reports arrived.
    out.topics = FindHotTopics(finder_, reports, facets, signals, options);
    return out;
  }
  SimilarityFinder finder(tokenizer_);
  for (const auto& r : reports) {
    if (r.time >= window_start) {
      if (const Status added = finder.Upsert(r); !added.has_value()) {
        return Result<TicketHotTopics>(added.error());
      }
    }
  }
  out.topics = FindHotTopics(finder, reports, facets, options);
  return out;
}

HotTopicIndex::Stats HotTopicIndex::stats() const {
  std::shared_lock lock(mu_);
  Stats s;
  s.loaded = loaded_;
  s.tickets = records_.size();
  s.texts = finder_.size();
  s.live_finder_calls = live_calls_;
  return s;
}

}  // namespace hotline::adapters::text

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

namespace {

// A cluster for the dispatcher from its tickets (oldest first) and label.
TicketCluster MakeCluster(std::vector<domain::Ticket> tickets, std::vector<std::string> terms) {
  TicketCluster cluster;
  cluster.top_terms = std::move(terms);
  cluster.tickets = std::move(tickets);
  for (const auto& t : cluster.tickets) {
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
  return cluster;
}

// Most mergeable first, then largest; at most `limit`.
void SortClusters(std::vector<TicketCluster>& clusters, size_t limit) {
  std::stable_sort(clusters.begin(), clusters.end(),
                   [](const TicketCluster& a, const TicketCluster& b) {
                     if (a.mergeable.size() != b.mergeable.size()) {
                       return a.mergeable.size() > b.mergeable.size();
                     }
                     return a.tickets.size() > b.tickets.size();
                   });
  if (clusters.size() > limit) {
    clusters.resize(limit);
  }
}

}  // namespace

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
  const auto linked = LinkReports(
      reports,
      [&](size_t i, const NeighbourSink& sink) {
        for (const auto& match : finder.FindSimilar(reports[i], options.neighbours)) {
          sink(match.id, match.score);
        }
      },
      options);
  std::vector<TicketCluster> clusters;
  for (const auto& c : linked) {
    std::vector<const Report*> members;
    std::vector<domain::Ticket> members_tickets;
    for (const auto& id : c.ids) {
      members.push_back(&reports[by_number.at(id)]);
      members_tickets.push_back(tickets[by_number.at(id)]);
    }
    clusters.push_back(MakeCluster(std::move(members_tickets), SharedTerms(tokenizer, members)));
  }
  SortClusters(clusters, request.limit);
  return clusters;
}

namespace {

constexpr int64_t kDay = 86400;

bool AreasAreTownships(const domain::OrgTree& org, const TicketTopicRequest& request) {
  if (!request.region) {
    return false;
  }
  const domain::Region* r = org.FindRegion(*request.region);
  return r != nullptr && r->level >= domain::UnitLevel::kCounty;
}

}  // namespace

namespace {

// The local day (UTC+8) of a time: its midnight, seconds since the epoch.
int64_t DayOf(int64_t t) {
  constexpr int64_t kOffset = 8 * 3600;
  const int64_t local = t + kOffset;
  const int64_t days = local / kDay - (local % kDay < 0 ? 1 : 0);
  return days * kDay - kOffset;
}

// A ticket rebuilt from what the index keeps (for the clusters' lists).
domain::Ticket SlimTicket(int64_t id, const Report& report, domain::RegionId region,
                          domain::CategoryId category, domain::TicketState state) {
  domain::Ticket t;
  t.id = domain::TicketId{id};
  t.number = report.id;
  t.title = report.title;
  t.content = report.text;
  t.address = report.address;
  t.region = region;
  t.category = category;
  t.state = state;
  t.created_at = FromUnix(report.time);
  return t;
}

}  // namespace

HotTopicIndex::HotTopicIndex(ports::TicketStore& store, std::shared_ptr<const Tokenizer> tokenizer,
                             HotTopicIndexOptions options)
    : store_(store), tokenizer_(std::move(tokenizer)), options_(options), finder_(*tokenizer_) {}

HotTopicIndex::HotTopicIndex(ports::TicketStore& store, const Tokenizer& tokenizer,
                             HotTopicIndexOptions options)
    : HotTopicIndex(store, std::shared_ptr<const Tokenizer>(&tokenizer, [](const Tokenizer*) {}),
                    options) {}

HotTopicIndex::~HotTopicIndex() {
  Cancel();
  if (loader_.joinable()) {
    loader_.join();
  }
}

void HotTopicIndex::Cancel() { cancelled_ = true; }

void HotTopicIndex::LoadInBackground(Instant now, std::function<void(const Status&)> done) {
  loader_ = std::thread([this, now, done = std::move(done)] {
    const Status loaded = Load(now);
    if (!loaded.has_value() && !cancelled_) {
      std::fprintf(stderr, "hotline: 热点索引未能加载（%s），热点按次从库中计算\n",
                   loaded.error().message.c_str());
    }
    if (done) {
      done(loaded);
    }
  });
}

Status HotTopicIndex::Load(Instant now) {
  const Error cancelled{ErrorCode::kUnavailable, "热点索引的加载已取消"};
  const int64_t today = DayOf(ToUnix(now));
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
    if (cancelled_) {
      return cancelled;
    }
    HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> page, store_.List(f));
    {
      std::unique_lock lock(mu_);
      for (const auto& t : page) {
        if (cancelled_) {
          return cancelled;
        }
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
  if (cancelled_) {
    return cancelled;
  }
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
  size_t done = 0;
  for (const uint32_t slot : unsignalled_) {
    if (cancelled_) {
      break;
    }
    ++done;
    Text& text = texts_[slot];
    if (text.id == 0 || text.signalled) {
      continue;
    }
    text.neighbours.clear();
    for (const auto& match : finder_.FindSimilar(text.report, options_.kept_neighbours)) {
      if (match.score < cluster_.threshold) {
        break;  // best first
      }
      const auto other = slot_of_number_.find(match.id);
      if (other != slot_of_number_.end()) {
        text.neighbours.push_back(
            {match.score, other->second, static_cast<uint32_t>(texts_[other->second].id)});
      }
    }
    text.neighbours.shrink_to_fit();
    text.terms = TermsOf(*tokenizer_, text.report, terms_);
    text.signalled = true;
  }
  unsignalled_.erase(unsignalled_.begin(),
                     unsignalled_.begin() + static_cast<std::ptrdiff_t>(done));
}

void HotTopicIndex::FreeText(uint32_t slot) {
  Text& text = texts_[slot];
  finder_.Remove(text.report.id);
  slot_of_number_.erase(text.report.id);
  slot_of_id_.erase(text.id);
  text = Text{};
  slot_ids_[slot] = 0;
  free_.push_back(slot);
}

void HotTopicIndex::ApplyLocked(const domain::Ticket& t) {
  const int64_t time = ToUnix(t.created_at);
  if (data_since_ == 0 || time < data_since_) {
    data_since_ = time;
  }
  if (time < count_start_) {
    return;
  }
  const int64_t id = t.id.value();
  // Counts by (day, region, category): a reclassified ticket moves from one to the other.
  auto [kept, inserted] = kept_.try_emplace(id);
  if (!inserted) {
    const auto old =
        counts_.find({DayOf(kept->second.time), kept->second.region, kept->second.category});
    if (old != counts_.end() && --old->second == 0) {
      counts_.erase(old);
    }
  }
  kept->second = Kept{time, t.region.value(), t.category.value()};
  ++counts_[{DayOf(time), t.region.value(), t.category.value()}];
  if (time < text_start_) {
    return;
  }
  uint32_t slot = 0;
  if (const auto found = slot_of_id_.find(id); found != slot_of_id_.end()) {
    slot = found->second;
  } else {
    if (free_.empty()) {
      slot = static_cast<uint32_t>(texts_.size());
      texts_.emplace_back();
      slot_ids_.push_back(0);
    } else {
      slot = free_.back();
      free_.pop_back();
    }
    slot_of_id_.emplace(id, slot);
  }
  Text& text = texts_[slot];
  Report report = ReportOf(t);
  const bool fresh = text.id == 0;
  const bool text_changed = fresh || report.title != text.report.title ||
                            report.text != text.report.text ||
                            report.address != text.report.address;
  const bool indexed_changed = text_changed || report.region != text.report.region;
  if (fresh) {
    slot_of_number_[report.id] = slot;
  }
  text.id = id;
  slot_ids_[slot] = id;
  text.region = t.region;
  text.category = t.category;
  text.state = t.state;
  if (indexed_changed) {
    text.report = std::move(report);
    (void)finder_.Upsert(text.report);
  }
  if (text_changed) {
    text.signalled = false;  // looked up again
    unsignalled_.push_back(slot);
  }
}

void HotTopicIndex::Advance(Instant now) {
  DrainLocked();
  const int64_t today = DayOf(ToUnix(now));
  const int64_t count_start = today - (options_.count_days - 1) * kDay;
  const int64_t text_start = today - (options_.text_days - 1) * kDay;
  if (text_start <= text_start_ && count_start <= count_start_) {
    return;
  }
  for (uint32_t slot = 0; slot < texts_.size(); ++slot) {
    if (texts_[slot].id != 0 && texts_[slot].report.time < text_start) {
      FreeText(slot);
    }
  }
  for (auto it = kept_.begin(); it != kept_.end();) {
    it = it->second.time < count_start ? kept_.erase(it) : std::next(it);
  }
  counts_.erase(counts_.begin(), counts_.lower_bound({count_start, INT64_MIN, INT64_MIN}));
  text_start_ = std::max(text_start_, text_start);
  count_start_ = std::max(count_start_, count_start);
}

bool HotTopicIndex::Prepare(Instant now) {
  std::unique_lock lock(mu_);
  if (!loaded_) {
    return false;
  }
  Advance(now);
  return true;
}

std::vector<uint32_t> HotTopicIndex::Select(const domain::OrgTree& org,
                                            const domain::CategoryTree* categories,
                                            const TicketTopicRequest& request, int64_t from,
                                            int64_t to) const {
  std::vector<std::pair<int64_t, uint32_t>> selected;
  // Scope tests by region and by category, once each.
  std::unordered_map<int64_t, bool> region_in;
  std::unordered_map<int64_t, bool> category_in;
  for (uint32_t slot = 0; slot < texts_.size(); ++slot) {
    const Text& text = texts_[slot];
    if (text.id == 0 || text.report.time < from || text.report.time >= to) {
      continue;
    }
    if (request.region) {
      auto [it, added] = region_in.try_emplace(text.region.value(), false);
      if (added) {
        it->second = text.region.valid() && org.IsRegionWithin(text.region, *request.region);
      }
      if (!it->second) {
        continue;
      }
    }
    if (request.category) {
      auto [it, added] = category_in.try_emplace(text.category.value(), false);
      if (added) {
        it->second =
            categories != nullptr && InCategory(*categories, text.category, *request.category);
      }
      if (!it->second) {
        continue;
      }
    }
    selected.emplace_back(text.id, slot);
  }
  std::sort(selected.begin(), selected.end());
  std::vector<uint32_t> out;
  out.reserve(selected.size());
  for (const auto& [id, slot] : selected) {
    out.push_back(slot);
  }
  return out;
}

std::vector<std::vector<size_t>> HotTopicIndex::Link(const std::vector<uint32_t>& slots,
                                                     ClusterOptions options) const {
  std::vector<int64_t> position(texts_.size(), -1);
  std::vector<int64_t> times;
  times.reserve(slots.size());
  for (size_t i = 0; i < slots.size(); ++i) {
    position[slots[i]] = static_cast<int64_t>(i);
    times.push_back(texts_[slots[i]].report.time);
  }
  return LinkPositions(
      times,
      [&](size_t i, const PositionSink& sink) {
        // The first `neighbours` within the selection, as a finder holding only it would
        // give (those below the threshold were not kept: they would not link).
        size_t given = 0;
        for (const Neighbour& n : texts_[slots[i]].neighbours) {
          if (given >= options.neighbours) {
            break;
          }
          const int64_t other = slot_ids_[n.slot];
          if (other == 0 || static_cast<uint32_t>(other) != n.id_low || position[n.slot] < 0) {
            continue;
          }
          ++given;
          sink(static_cast<size_t>(position[n.slot]), n.score);
        }
      },
      options);
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
  if (!Prepare(now)) {
    return std::nullopt;
  }
  std::shared_lock lock(mu_);
  const int64_t from = ToUnix(request.from);
  const int64_t to = ToUnix(request.to);
  const int64_t length = to - from;
  const int64_t periods = std::max<int64_t>(static_cast<int64_t>(options.baseline_periods), 1);
  const int64_t window_start = from - length;
  const int64_t load_start = from - length * periods;
  if (window_start < text_start_) {
    return std::nullopt;
  }
  if (load_start < count_start_ && data_since_ != 0 && data_since_ < count_start_) {
    return std::nullopt;  // the baseline reaches days no longer kept
  }
  if (DayOf(from) != from || length % kDay != 0) {
    return std::nullopt;  // counts are kept by whole local days
  }
  options.from = from;
  options.to = to;
  options.limit = request.limit;
  options.data_since = data_since_;
  ++live_calls_;
  const bool township_areas = AreasAreTownships(org, request);
  // FacetsOf by category and region, computed once each.
  std::map<std::pair<int64_t, int64_t>, ReportFacets> facet_cache;
  const auto facets_of = [&](int64_t region, int64_t category) -> const ReportFacets& {
    auto [it, added] = facet_cache.try_emplace({region, category});
    if (added) {
      domain::Ticket slim;
      slim.region = domain::RegionId{region};
      slim.category = domain::CategoryId{category};
      it->second = FacetsOf(slim, org, categories, township_areas);
    }
    return it->second;
  };
  // The period and the one before, with their clusters.
  const std::vector<uint32_t> slots = Select(org, &categories, request, window_start, to);
  PreparedWindow window;
  window.table = &terms_;
  window.reports.reserve(slots.size());
  window.terms.reserve(slots.size());
  for (const uint32_t slot : slots) {
    window.reports.push_back(&texts_[slot].report);
    window.terms.push_back(&texts_[slot].terms);
  }
  ClusterOptions cluster_options = options.cluster;
  cluster_options.min_size = options.min_reports;
  window.clusters = Link(slots, cluster_options);
  // Growth from the counts by day.
  TicketHotTopics out;
  GrowthInput growth;
  for (int64_t i = static_cast<int64_t>(options.baseline_periods); i >= 1; --i) {
    if (from - i * length >= options.data_since) {
      growth.periods = static_cast<size_t>(i);
      break;
    }
  }
  out.baseline_periods = growth.periods;
  std::unordered_map<int64_t, bool> region_in;
  std::unordered_map<int64_t, bool> category_in;
  for (auto it = counts_.lower_bound({load_start, INT64_MIN, INT64_MIN});
       it != counts_.end() && std::get<0>(it->first) < to; ++it) {
    const auto& [day, region, category] = it->first;
    const size_t n = it->second;
    if (request.region) {
      auto [r, added] = region_in.try_emplace(region, false);
      if (added) {
        const domain::RegionId id{region};
        r->second = id.valid() && org.IsRegionWithin(id, *request.region);
      }
      if (!r->second) {
        continue;
      }
    }
    if (request.category) {
      auto [c, added] = category_in.try_emplace(category, false);
      if (added) {
        c->second = InCategory(categories, domain::CategoryId{category}, *request.category);
      }
      if (!c->second) {
        continue;
      }
    }
    (day >= from ? out.reports : out.baseline_reports) += n;
    const size_t b = BaselineOf(day, options);
    if (growth.periods == 0 || b == SIZE_MAX || b > growth.periods) {
      continue;
    }
    (b == 0 ? growth.period_total : growth.baseline_total) += n;
    const ReportFacets& f = facets_of(region, category);
    if (f.category.empty() || f.area.empty()) {
      continue;
    }
    GrowthCell& cell = growth.cells[{f.category, f.area}];
    if (b == 0) {
      cell.count += n;
    } else {
      cell.baseline.resize(growth.periods, 0);
      cell.baseline[b - 1] += n;
    }
  }
  growth.members = [&](const std::pair<std::string, std::string>& key) {
    std::vector<size_t> members;
    for (size_t i = 0; i < slots.size(); ++i) {
      const Text& text = texts_[slots[i]];
      if (text.report.time < from) {
        continue;
      }
      const ReportFacets& f = facets_of(text.region.value(), text.category.value());
      if (f.category == key.first && f.area == key.second) {
        members.push_back(i);
      }
    }
    return members;
  };
  out.topics = RankHotTopics(window, growth, options);
  return out;
}

std::optional<Result<std::vector<TicketCluster>>> HotTopicIndex::FindClusters(
    const domain::OrgTree& org, const TicketTopicRequest& request, Instant now) {
  if (request.visible) {
    return std::nullopt;
  }
  if (request.from >= request.to) {
    return Result<std::vector<TicketCluster>>(InvalidArgument("期间的开始应早于结束"));
  }
  if (!Prepare(now)) {
    return std::nullopt;
  }
  std::shared_lock lock(mu_);
  const int64_t from = ToUnix(request.from);
  const int64_t to = ToUnix(request.to);
  if (from < text_start_) {
    return std::nullopt;
  }
  ++live_calls_;
  TicketTopicRequest scope = request;
  scope.category.reset();  // clusters are by region only
  const std::vector<uint32_t> slots = Select(org, nullptr, scope, from, to);
  ClusterOptions options;
  options.min_size = std::max<size_t>(request.min_size, 2);
  const auto groups = Link(slots, options);
  // Ranked by what MakeCluster and SortClusters would find (mergeable, then size), so that
  // only the listed groups are turned into tickets.
  std::vector<std::pair<size_t, size_t>> ranked;  // mergeable, group
  for (size_t g = 0; g < groups.size(); ++g) {
    bool has_master = false;
    size_t mergeable = 0;
    for (const size_t i : groups[g]) {
      const domain::TicketState state = texts_[slots[i]].state;
      if (!has_master && IsOpen(state)) {
        has_master = true;
      } else if (domain::IsAllowedIn(domain::Action::kMerge, state)) {
        ++mergeable;
      }
    }
    ranked.emplace_back(has_master ? mergeable : 0, g);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) {
      return a.first > b.first;
    }
    return groups[a.second].size() > groups[b.second].size();
  });
  if (ranked.size() > request.limit) {
    ranked.resize(request.limit);
  }
  std::vector<TicketCluster> clusters;
  for (const auto& [mergeable, g] : ranked) {
    std::vector<domain::Ticket> tickets;
    std::vector<const ReportTerms*> terms;
    for (const size_t i : groups[g]) {
      const Text& text = texts_[slots[i]];
      tickets.push_back(SlimTicket(text.id, text.report, text.region, text.category, text.state));
      terms.push_back(&text.terms);
    }
    clusters.push_back(MakeCluster(std::move(tickets), SharedTermsOf(terms_, terms)));
  }
  SortClusters(clusters, request.limit);
  return Result<std::vector<TicketCluster>>(std::move(clusters));
}

HotTopicIndex::Stats HotTopicIndex::stats() const {
  std::shared_lock lock(mu_);
  Stats s;
  s.loaded = loaded_;
  s.tickets = kept_.size();
  s.texts = finder_.size();
  s.live_finder_calls = live_calls_;
  return s;
}

LiveHotTopicIndex::LiveHotTopicIndex(ports::TicketStore& store,
                                     std::shared_ptr<const Tokenizer> tokenizer,
                                     std::function<Instant()> now, HotTopicIndexOptions options)
    : store_(store),
      now_(std::move(now)),
      options_(options),
      current_(std::make_shared<HotTopicIndex>(store, tokenizer, options)),
      wanted_(std::move(tokenizer)) {}

LiveHotTopicIndex::~LiveHotTopicIndex() { Stop(); }

void LiveHotTopicIndex::Start() {
  std::lock_guard lock(mu_);
  current_->LoadInBackground(now_());
}

void LiveHotTopicIndex::Apply(const domain::Ticket& ticket) {
  std::lock_guard lock(mu_);
  current_->Apply(ticket);
  if (building_ != nullptr) {
    building_->Apply(ticket);
  }
}

void LiveHotTopicIndex::Rebuild(std::shared_ptr<const Tokenizer> tokenizer) {
  std::shared_ptr<HotTopicIndex> fresh;
  std::shared_ptr<HotTopicIndex> replaced;  // a rebuild still loading: cancelled, joined below
  {
    std::lock_guard lock(mu_);
    if (stopped_ || tokenizer == nullptr || tokenizer == wanted_) {
      return;
    }
    wanted_ = tokenizer;
    fresh = std::make_shared<HotTopicIndex>(store_, std::move(tokenizer), options_);
    replaced = std::move(building_);
    building_ = fresh;
  }
  if (replaced != nullptr) {
    replaced->Cancel();
    replaced.reset();
  }
  HotTopicIndex* raw = fresh.get();
  fresh->LoadInBackground(now_(), [this, raw](const Status& loaded) {
    std::shared_ptr<HotTopicIndex> old;  // released outside the lock
    std::lock_guard lock(mu_);
    if (building_.get() != raw || !loaded.has_value() || stopped_) {
      return;
    }
    old = std::move(current_);
    current_ = std::move(building_);
    ++rebuilds_;
  });
}

void LiveHotTopicIndex::Stop() {
  std::shared_ptr<HotTopicIndex> building;
  std::shared_ptr<HotTopicIndex> current;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    building = std::move(building_);
    current = current_;
  }
  if (building != nullptr) {
    building->Cancel();
  }
  current->Cancel();  // an initial load still running: the index then never answers
}

std::shared_ptr<HotTopicIndex> LiveHotTopicIndex::current() const {
  std::lock_guard lock(mu_);
  return current_;
}

size_t LiveHotTopicIndex::rebuilds() const {
  std::lock_guard lock(mu_);
  return rebuilds_;
}

}  // namespace hotline::adapters::text

#include "adapters/text/ticket_topics.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "adapters/classify/byte_io.h"
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

double MsBetween(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

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

// A snapshot file read and checked (the format is described at WriteSnapshot).
struct HotTopicIndex::Snapshot {
  struct SavedText {
    int64_t id = 0;
    Report report;
    int64_t region = 0;
    int64_t category = 0;
    uint32_t state = 0;
    bool signalled = false;
    ReportTerms terms;
    std::vector<std::pair<double, int64_t>> neighbours;  // score, ticket id
    bool analysed = false;
    AnalyzedReport analysis;  // term numbers into finder_terms
  };
  std::vector<std::pair<int64_t, Kept>> kept;
  std::vector<std::string> terms;
  std::vector<std::string> finder_terms;
  std::vector<SavedText> texts;
};

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
  const auto started = std::chrono::steady_clock::now();
  const Error cancelled{ErrorCode::kUnavailable, "热点索引的加载已取消"};
  const int64_t today = DayOf(ToUnix(now));
  const int64_t count_start = today - (options_.count_days - 1) * kDay;
  const int64_t text_start = today - (options_.text_days - 1) * kDay;
  // The store's first ticket: when its data begins, and (its number) which store it is.
  ports::TicketFilter first_filter;
  first_filter.limit = 1;
  HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> first, store_.List(first_filter));
  const int64_t data_since = first.empty() ? 0 : ToUnix(first.front().created_at);
  const std::string first_number = first.empty() ? "" : first.front().number;
  std::optional<Snapshot> snapshot;
  std::string note;
  double snapshot_read_ms = 0;
  if (!options_.snapshot_path.empty() && !cancelled_) {
    const auto s0 = std::chrono::steady_clock::now();
    snapshot = ReadSnapshot(count_start, text_start, first_number, data_since, note);
    snapshot_read_ms = MsBetween(s0, std::chrono::steady_clock::now());
    if (!snapshot.has_value() && !note.empty()) {
      std::fprintf(stderr, "hotline: 热点索引快照 %s 未使用（%s），从库中全量加载\n",
                   options_.snapshot_path.c_str(), note.c_str());
    }
  }
  {
    std::unique_lock lock(mu_);
    count_start_ = count_start;
    text_start_ = text_start;
    data_since_ = data_since;
    load_stats_ = LoadStats{};
    load_stats_.snapshot_note = note;
    load_stats_.snapshot_read_ms = snapshot_read_ms;
    if (snapshot.has_value()) {
      HOTLINE_RETURN_IF_ERROR(InstallSnapshot(*snapshot));
      load_stats_.from_snapshot = true;
    }
  }
  snapshot.reset();
  HOTLINE_RETURN_IF_ERROR(ReadStore(/*catch_up=*/load_stats_.from_snapshot));
  std::unique_lock lock(mu_);
  // The earliest report: the store's first ticket or one of the kept days (as a full load
  // finds it, whether the kept tickets came from a snapshot or from the store).
  for (const auto& [id, kept] : kept_) {
    if (data_since_ == 0 || kept.time < data_since_) {
      data_since_ = kept.time;
    }
  }
  DrainLocked();  // the feed's changes are newer than what was read
  ComputeSignals();
  if (cancelled_) {
    return cancelled;
  }
  loaded_ = true;
  load_stats_.total_ms = MsBetween(started, std::chrono::steady_clock::now());
  return OkStatus();
}

Status HotTopicIndex::ReadStore(bool catch_up) {
  const Error cancelled{ErrorCode::kUnavailable, "热点索引的加载已取消"};
  if (catch_up) {
    // The versions of the kept days' tickets (no ticket decoded), compared with the
    // snapshot's; the changed ones are then read one by one, unless there are many.
    std::unordered_set<int64_t> unseen;
    std::vector<int64_t> changed;
    ports::TicketFilter f;
    {
      std::shared_lock lock(mu_);
      f.created_from = FromUnix(count_start_);
      unseen.reserve(kept_.size());
      for (const auto& [id, kept] : kept_) {
        unseen.insert(id);
      }
    }
    f.limit = 10000;
    size_t rows = 0;
    const auto r0 = std::chrono::steady_clock::now();
    while (true) {
      if (cancelled_) {
        return cancelled;
      }
      HOTLINE_ASSIGN_OR_RETURN(auto page, store_.ListVersions(f));
      {
        std::shared_lock lock(mu_);
        for (const auto& [id, version] : page) {
          unseen.erase(id.value());
          const auto kept = kept_.find(id.value());
          if (kept == kept_.end() || kept->second.version != version) {
            changed.push_back(id.value());
          }
        }
      }
      rows += page.size();
      if (page.size() < static_cast<size_t>(f.limit)) {
        break;
      }
      f.after_id = page.back().first.value();
    }
    {
      std::unique_lock lock(mu_);
      load_stats_.read_ms += MsBetween(r0, std::chrono::steady_clock::now());
      load_stats_.rows += rows;
    }
    if (changed.size() <= std::max<size_t>(1000, rows / 10)) {
      const auto a0 = std::chrono::steady_clock::now();
      for (const int64_t id : changed) {
        if (cancelled_) {
          return cancelled;
        }
        auto ticket = store_.Find(domain::TicketId{id});
        if (!ticket.has_value()) {
          if (ticket.error().code == ErrorCode::kNotFound) {
            continue;  // deleted meanwhile
          }
          return ticket.error();
        }
        std::unique_lock lock(mu_);
        ApplyLocked(*ticket);
        ++load_stats_.caught_up;
      }
      std::unique_lock lock(mu_);
      for (const int64_t id : unseen) {
        RemoveLocked(id);
      }
      load_stats_.removed = unseen.size();
      load_stats_.index_ms += MsBetween(a0, std::chrono::steady_clock::now());
      return OkStatus();
    }
    // Many changes (an old snapshot): every row is read, as a full load does.
  }
  // With a snapshot installed: the tickets it holds that the store no longer has (none,
  // unless tickets were deleted) are removed at the end.
  std::unordered_set<int64_t> unseen;
  ports::TicketFilter f;
  {
    std::shared_lock lock(mu_);
    f.created_from = FromUnix(count_start_);
    if (catch_up) {
      unseen.reserve(kept_.size());
      for (const auto& [id, kept] : kept_) {
        unseen.insert(id);
      }
    }
  }
  f.limit = kPage;
  while (true) {
    if (cancelled_) {
      return cancelled;
    }
    const auto r0 = std::chrono::steady_clock::now();
    HOTLINE_ASSIGN_OR_RETURN(std::vector<domain::Ticket> page, store_.List(f));
    {
      std::unique_lock lock(mu_);
      const auto a0 = std::chrono::steady_clock::now();
      load_stats_.read_ms += MsBetween(r0, a0);
      load_stats_.rows += page.size();
      for (const auto& t : page) {
        if (cancelled_) {
          return cancelled;
        }
        if (catch_up) {
          unseen.erase(t.id.value());
          const auto kept = kept_.find(t.id.value());
          if (kept != kept_.end() && kept->second.version == t.version) {
            continue;  // as the snapshot has it
          }
          ++load_stats_.caught_up;
        }
        ApplyLocked(t);
      }
      load_stats_.index_ms += MsBetween(a0, std::chrono::steady_clock::now());
    }
    if (static_cast<int>(page.size()) < kPage) {
      break;
    }
    f.after_id = page.back().id.value();
  }
  if (!unseen.empty()) {
    std::unique_lock lock(mu_);
    for (const int64_t id : unseen) {
      RemoveLocked(id);
    }
    load_stats_.removed = unseen.size();
  }
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
  // The texts waiting, each once, in the order they came.
  std::vector<uint32_t> work;
  {
    std::vector<bool> queued(texts_.size(), false);
    for (const uint32_t slot : unsignalled_) {
      if (texts_[slot].id != 0 && !texts_[slot].signalled && !queued[slot]) {
        queued[slot] = true;
        work.push_back(slot);
      }
    }
  }
  // Neighbours: lookups in the finder, which only reads, so several threads share them when
  // many texts wait (at load); each text's list is its own, the same whatever the threads.
  const auto n0 = std::chrono::steady_clock::now();
  const auto neighbours_of = [&](uint32_t slot) {
    if (options_.before_lookup) {
      options_.before_lookup();
    }
    Text& text = texts_[slot];
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
  };
  unsigned threads = options_.load_threads != 0
                         ? options_.load_threads
                         : std::min(4U, std::max(1U, std::thread::hardware_concurrency()));
  threads = static_cast<unsigned>(std::min<size_t>(threads, work.size() / 256 + 1));
  std::atomic<size_t> next{0};
  const auto run = [&] {
    for (size_t i = next++; i < work.size() && !cancelled_; i = next++) {
      neighbours_of(work[i]);
    }
  };
  if (threads <= 1) {
    run();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) {
      pool.emplace_back(run);
    }
    run();
    for (auto& t : pool) {
      t.join();
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  load_stats_.neighbours_ms += MsBetween(n0, t0);
  if (cancelled_) {
    return;  // left waiting: the index never answers
  }
  // Words and places, in the same order as before: the term table numbers them as it meets
  // them, so one thread.
  for (const uint32_t slot : work) {
    if (cancelled_) {
      return;  // those done stay done; the others wait
    }
    Text& text = texts_[slot];
    text.terms = TermsOf(*tokenizer_, text.report, terms_);
    text.signalled = true;
  }
  unsignalled_.clear();
  load_stats_.looked_up += work.size();
  load_stats_.terms_ms += MsBetween(t0, std::chrono::steady_clock::now());
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

void HotTopicIndex::RemoveLocked(int64_t id) {
  const auto kept = kept_.find(id);
  if (kept != kept_.end()) {
    const auto count =
        counts_.find({DayOf(kept->second.time), kept->second.region, kept->second.category});
    if (count != counts_.end() && --count->second == 0) {
      counts_.erase(count);
    }
    kept_.erase(kept);
  }
  if (const auto slot = slot_of_id_.find(id); slot != slot_of_id_.end()) {
    FreeText(slot->second);
  }
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
  kept->second = Kept{time, t.region.value(), t.category.value(), t.version};
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
  if (!loaded_) {
    return false;  // without waiting for a load that holds the lock
  }
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

// The snapshot file (docs/hot_topics.md), little-endian:
//   "HLHOTIDX" · u32 format version · u64 tokenizer fingerprint · u32 text_days ·
//   u32 count_days · u32 kept_neighbours · f64 link threshold · i64 written at ·
//   i64 count_start · i64 text_start · i64 and str the store's first ticket's time and number ·
//   u64 n · n × (i64 id, time, region, category, version)               every kept ticket
//   u64 n · n × str                                                      the term table
//   u64 n · n × str                            the SimilarityFinder's terms (those held)
//   u64 n · n × (i64 id · str number, title, text, address · i64 time, region, category ·
//                u32 state · u8 signalled · u32 n · n × u32 words · u32 n · n × u32 places ·
//                u32 n · n × (f64 score, i64 ticket id) ·
//                u8 analysed · [analysed: u32 n · n × u32 field length ·
//                  u32 n · n × (var term − previous term, var tf · 16 + field) ·
//                  u32 n · n × str place · u32 n · n × var title bigram − previous])
//                                                           the texts, in the finder's order
//   u64 FNV-1a 64 of every byte before it.
// str: u32 length and the bytes; var: LEB128 (7 bits a byte, low first). The analysis is
// what the finder found in the text (its terms by field, places, title bigrams), so that a
// load puts it back without tokenizing; a text without one (none is written so) is
// tokenized again. Version 1 had no finder terms nor analyses. A file of another version is
// not read (a full load then).
namespace {

namespace wire = classify::wire;

constexpr char kSnapshotMagic[] = "HLHOTIDX";
constexpr uint32_t kSnapshotVersion = 2;

// Writes through a buffer to a file, hashing what it writes.
class SnapshotWriter {
 public:
  explicit SnapshotWriter(std::FILE* file) : file_(file) { buffer_.reserve(kChunk + 4096); }
  void Bytes(std::string_view b) {
    buffer_.append(b);
    Spill();
  }
  void U32(uint32_t v) {
    wire::PutU32(buffer_, v);
    Spill();
  }
  void I64(int64_t v) {
    wire::PutU64(buffer_, static_cast<uint64_t>(v));
    Spill();
  }
  void F64(double v) { I64(std::bit_cast<int64_t>(v)); }
  void U8(uint8_t v) {
    buffer_.push_back(static_cast<char>(v));
    Spill();
  }
  void Var(uint64_t v) {
    while (v >= 0x80) {
      buffer_.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    buffer_.push_back(static_cast<char>(v));
    Spill();
  }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    Bytes(s);
  }
  // Flushes, then appends the checksum of everything written. False on a write error.
  bool Finish() {
    Flush();
    std::string tail;
    wire::PutU64(tail, hash_);
    ok_ = ok_ && std::fwrite(tail.data(), 1, tail.size(), file_) == tail.size();
    return ok_;
  }

 private:
  static constexpr size_t kChunk = size_t{1} << 20;
  void Spill() {
    if (buffer_.size() >= kChunk) {
      Flush();
    }
  }
  void Flush() {
    hash_ = wire::Fnv1a64(buffer_, hash_);
    ok_ = ok_ && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) == buffer_.size();
    buffer_.clear();
  }
  std::FILE* file_;
  std::string buffer_;
  uint64_t hash_ = wire::kFnvOffset;
  bool ok_ = true;
};

// Reads the fields back; once past the end every read gives 0 and ok() is false.
class SnapshotReader {
 public:
  explicit SnapshotReader(std::string_view data) : data_(data) {}
  bool ok() const { return ok_; }
  uint32_t U32() { return static_cast<uint32_t>(Le(4)); }
  uint8_t U8() { return static_cast<uint8_t>(Le(1)); }
  int64_t I64() { return static_cast<int64_t>(Le(8)); }
  double F64() { return std::bit_cast<double>(Le(8)); }
  uint64_t Var() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!Has(1)) {
        return 0;
      }
      const auto byte = static_cast<uint8_t>(data_[pos_++]);
      v |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) {
        return v;
      }
    }
    ok_ = false;  // more than 10 bytes
    return 0;
  }
  std::string Str() {
    const uint32_t n = U32();
    if (!Has(n)) {
      return {};
    }
    std::string out(data_.substr(pos_, n));
    pos_ += n;
    return out;
  }
  // A count of items of at least `min_bytes` each: refused (0, not ok) when the rest of the
  // file cannot hold them, so a damaged count never allocates much.
  size_t Count(size_t min_bytes, bool wide) {
    const uint64_t n = wide ? Le(8) : Le(4);
    if (!ok_ || n > (data_.size() - pos_) / std::max<size_t>(min_bytes, 1)) {
      ok_ = false;
      return 0;
    }
    return static_cast<size_t>(n);
  }
  bool AtEnd() const { return pos_ == data_.size(); }

 private:
  bool Has(size_t n) {
    if (ok_ && data_.size() - pos_ >= n) {
      return true;
    }
    ok_ = false;
    return false;
  }
  uint64_t Le(int width) {
    if (!Has(static_cast<size_t>(width))) {
      return 0;
    }
    const uint64_t v = wire::GetLe(data_, pos_, width);
    pos_ += static_cast<size_t>(width);
    return v;
  }
  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

std::optional<HotTopicIndex::Snapshot> HotTopicIndex::ReadSnapshot(int64_t count_start,
                                                                   int64_t text_start,
                                                                   const std::string& first_number,
                                                                   int64_t data_since,
                                                                   std::string& note) const {
  note.clear();
  std::FILE* file = std::fopen(options_.snapshot_path.c_str(), "rb");
  if (file == nullptr) {
    if (errno != ENOENT) {
      note = fmt::format("无法打开：{}", std::strerror(errno));
    }
    return std::nullopt;  // none yet: a full load, nothing to say
  }
  std::string data;
  {
    char chunk[1 << 16];
    size_t n = 0;
    while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) {
      data.append(chunk, n);
    }
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) {
      note = "读取出错";
      return std::nullopt;
    }
  }
  constexpr size_t kMagic = sizeof kSnapshotMagic - 1;
  if (data.size() < kMagic + 4 + 8 || data.compare(0, kMagic, kSnapshotMagic) != 0) {
    note = "不是热点索引快照文件";
    return std::nullopt;
  }
  const auto version = static_cast<uint32_t>(wire::GetLe(data, kMagic, 4));
  if (version != kSnapshotVersion) {
    note = fmt::format("快照格式版本 {}，本程序读取版本 {}", version, kSnapshotVersion);
    return std::nullopt;
  }
  const std::string_view body(data.data(), data.size() - 8);
  if (wire::Fnv1a64(body) != wire::GetLe(data, data.size() - 8, 8)) {
    note = "校验和不符（文件损坏或不完整）";
    return std::nullopt;
  }
  SnapshotReader in(body.substr(kMagic + 4));
  if (static_cast<uint64_t>(in.I64()) != tokenizer_->fingerprint()) {
    note = "分词词库已变更";
    return std::nullopt;
  }
  const uint32_t text_days = in.U32();
  const uint32_t count_days = in.U32();
  const uint32_t kept_neighbours = in.U32();
  const double threshold = in.F64();
  if (static_cast<int>(text_days) != options_.text_days ||
      static_cast<int>(count_days) != options_.count_days ||
      kept_neighbours != options_.kept_neighbours || threshold != cluster_.threshold) {
    note = "索引参数不同";
    return std::nullopt;
  }
  (void)in.I64();  // written at
  const int64_t saved_count_start = in.I64();
  const int64_t saved_text_start = in.I64();
  const int64_t saved_first_at = in.I64();
  const std::string saved_first = in.Str();
  if (!in.ok()) {
    note = "文件内容不完整";
    return std::nullopt;
  }
  if (saved_first != first_number || saved_first_at != data_since) {
    note = "快照属于另一个数据库";
    return std::nullopt;
  }
  if (saved_count_start > count_start || saved_text_start > text_start) {
    note = "快照晚于当前日期";
    return std::nullopt;
  }
  Snapshot snapshot;
  snapshot.kept.resize(in.Count(40, true));
  for (auto& [id, kept] : snapshot.kept) {
    id = in.I64();
    kept.time = in.I64();
    kept.region = in.I64();
    kept.category = in.I64();
    kept.version = in.I64();
  }
  snapshot.terms.resize(in.Count(4, true));
  for (auto& term : snapshot.terms) {
    term = in.Str();
  }
  snapshot.finder_terms.resize(in.Count(4, true));
  for (auto& term : snapshot.finder_terms) {
    term = in.Str();
  }
  snapshot.texts.resize(in.Count(8 + 16 + 24 + 4 + 1 + 12 + 1, true));
  for (auto& text : snapshot.texts) {
    text.id = in.I64();
    text.report.id = in.Str();
    text.report.title = in.Str();
    text.report.text = in.Str();
    text.report.address = in.Str();
    text.report.time = in.I64();
    text.region = in.I64();
    text.category = in.I64();
    text.report.region = std::to_string(text.region);
    text.state = in.U32();
    text.signalled = in.U8() != 0;
    for (auto* terms : {&text.terms.words, &text.terms.places}) {
      terms->resize(in.Count(4, false));
      for (auto& term : *terms) {
        term = in.U32();
        if (term >= snapshot.terms.size()) {
          note = "文件内容有误（词编号越界）";
          return std::nullopt;
        }
      }
    }
    text.neighbours.resize(in.Count(16, false));
    for (auto& [score, id] : text.neighbours) {
      score = in.F64();
      id = in.I64();
    }
    text.analysed = in.U8() != 0;
    if (text.analysed) {
      AnalyzedDocument& document = text.analysis.document;
      document.field_lengths.resize(in.Count(4, false));
      for (auto& length : document.field_lengths) {
        length = in.U32();
      }
      document.terms.resize(in.Count(2, false));
      uint64_t term = 0;
      for (auto& o : document.terms) {
        term += in.Var();
        const uint64_t tf_field = in.Var();
        if (term >= snapshot.finder_terms.size() || tf_field >> 4 == 0 ||
            tf_field >> 4 > UINT16_MAX) {
          note = "文件内容有误（检索词编号越界）";
          return std::nullopt;
        }
        o.term = static_cast<uint32_t>(term);
        o.field = static_cast<uint16_t>(tf_field & 15);
        o.tf = static_cast<uint16_t>(tf_field >> 4);
      }
      text.analysis.places.resize(in.Count(4, false));
      for (auto& place : text.analysis.places) {
        place = in.Str();
      }
      text.analysis.title_grams.resize(in.Count(1, false));
      uint64_t gram = 0;
      for (auto& g : text.analysis.title_grams) {
        gram += in.Var();
        g = static_cast<uint32_t>(gram);
      }
    }
    if (!in.ok()) {
      break;
    }
  }
  if (!in.ok() || !in.AtEnd()) {
    note = "文件内容不完整";
    return std::nullopt;
  }
  return snapshot;
}

Status HotTopicIndex::InstallSnapshot(Snapshot& snapshot) {
  const Error cancelled{ErrorCode::kUnavailable, "热点索引的加载已取消"};
  for (const auto& [id, kept] : snapshot.kept) {
    if (kept.time < count_start_) {
      continue;  // a day that has left the window since
    }
    kept_.emplace(id, kept);
    ++counts_[{DayOf(kept.time), kept.region, kept.category}];
  }
  for (const auto& term : snapshot.terms) {
    (void)terms_.Intern(term);  // the same numbers: the names are distinct, in order
  }
  if (terms_.size() != snapshot.terms.size()) {
    return Error{ErrorCode::kInternal, "热点索引快照的词表有重复"};
  }
  // Into the finder in ticket id order, as a full load inserts them.
  std::sort(snapshot.texts.begin(), snapshot.texts.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  const auto f0 = std::chrono::steady_clock::now();
  // The file's finder terms by the finder's numbers (numbering does not change a ranking).
  std::vector<uint32_t> term_of;
  term_of.reserve(snapshot.finder_terms.size());
  for (const auto& term : snapshot.finder_terms) {
    term_of.push_back(finder_.InternTerm(term));
  }
  size_t done = 0;
  for (auto& saved : snapshot.texts) {
    if ((++done & 1023) == 0 && cancelled_) {
      return cancelled;
    }
    if (saved.report.time < text_start_ || saved.id == 0 || kept_.count(saved.id) == 0 ||
        slot_of_id_.count(saved.id) != 0) {
      continue;
    }
    const auto slot = static_cast<uint32_t>(texts_.size());
    Text& text = texts_.emplace_back();
    text.id = saved.id;
    text.report = std::move(saved.report);
    text.region = domain::RegionId{saved.region};
    text.category = domain::CategoryId{saved.category};
    text.state = static_cast<domain::TicketState>(saved.state);
    text.terms = std::move(saved.terms);
    text.signalled = saved.signalled;
    slot_ids_.push_back(saved.id);
    slot_of_id_.emplace(saved.id, slot);
    slot_of_number_[text.report.id] = slot;
    bool analysed = false;
    if (saved.analysed) {
      auto& terms = saved.analysis.document.terms;
      for (auto& o : terms) {
        o.term = term_of[o.term];
      }
      const auto by_term_field = [](const auto& a, const auto& b) {
        return a.term != b.term ? a.term < b.term : a.field < b.field;
      };
      if (!std::is_sorted(terms.begin(), terms.end(), by_term_field)) {
        std::sort(terms.begin(), terms.end(), by_term_field);
      }
      analysed = finder_.UpsertAnalyzed(text.report, std::move(saved.analysis)).has_value();
    }
    if (analysed) {
      ++load_stats_.snapshot_analysed;
    } else {
      (void)finder_.Upsert(text.report);  // tokenized again
      ++load_stats_.snapshot_tokenized;
    }
    if (!text.signalled) {
      unsignalled_.push_back(slot);
    }
  }
  load_stats_.snapshot_finder_ms = MsBetween(f0, std::chrono::steady_clock::now());
  // Neighbours by slot now that every text has one; those that left the window are dropped.
  for (const auto& saved : snapshot.texts) {
    const auto slot = slot_of_id_.find(saved.id);
    if (slot == slot_of_id_.end() || !texts_[slot->second].signalled) {
      continue;
    }
    auto& neighbours = texts_[slot->second].neighbours;
    for (const auto& [score, id] : saved.neighbours) {
      const auto other = slot_of_id_.find(id);
      if (other != slot_of_id_.end()) {
        neighbours.push_back({score, other->second, static_cast<uint32_t>(id)});
      }
    }
    neighbours.shrink_to_fit();
  }
  return OkStatus();
}

Status HotTopicIndex::WriteSnapshot(Instant now) {
  if (options_.snapshot_path.empty()) {
    return Error{ErrorCode::kFailedPrecondition, "未设置热点索引快照文件"};
  }
  if (!Prepare(now)) {  // brings the index up to date (the feed's changes, the days)
    return Error{ErrorCode::kFailedPrecondition, "热点索引尚未加载，不写快照"};
  }
  const std::string& path = options_.snapshot_path;
  const std::string temp = fmt::format("{}.tmp{}", path, static_cast<long>(::getpid()));
  std::FILE* file = std::fopen(temp.c_str(), "wb");
  if (file == nullptr) {
    return Error{ErrorCode::kUnavailable,
                 fmt::format("无法写热点索引快照 {}：{}", temp, std::strerror(errno))};
  }
  bool ok = true;
  {
    std::shared_lock lock(mu_);  // calls go on; changes queue meanwhile
    SnapshotWriter out(file);
    out.Bytes(std::string_view(kSnapshotMagic, sizeof kSnapshotMagic - 1));
    out.U32(kSnapshotVersion);
    out.I64(static_cast<int64_t>(tokenizer_->fingerprint()));
    out.U32(static_cast<uint32_t>(options_.text_days));
    out.U32(static_cast<uint32_t>(options_.count_days));
    out.U32(static_cast<uint32_t>(options_.kept_neighbours));
    out.F64(cluster_.threshold);
    out.I64(ToUnix(now));
    out.I64(count_start_);
    out.I64(text_start_);
    // Which store: its first ticket (the one with the lowest id), when and as what.
    ports::TicketFilter first;
    first.limit = 1;
    auto first_ticket = store_.List(first);
    if (!first_ticket.has_value()) {
      std::fclose(file);
      std::remove(temp.c_str());
      return first_ticket.error();
    }
    out.I64(first_ticket->empty() ? 0 : ToUnix(first_ticket->front().created_at));
    out.Str(first_ticket->empty() ? "" : first_ticket->front().number);
    out.I64(static_cast<int64_t>(kept_.size()));
    for (const auto& [id, kept] : kept_) {
      out.I64(id);
      out.I64(kept.time);
      out.I64(kept.region);
      out.I64(kept.category);
      out.I64(kept.version);
    }
    out.I64(static_cast<int64_t>(terms_.size()));
    for (size_t i = 0; i < terms_.size(); ++i) {
      out.Str(terms_.Name(static_cast<uint32_t>(i)));
    }
    // The finder's terms that some text holds, numbered densely for the file.
    const std::vector<std::string> names = finder_.TermNames();
    std::vector<uint32_t> file_term(names.size(), UINT32_MAX);
    uint32_t file_terms = 0;
    for (size_t i = 0; i < names.size(); ++i) {
      if (!names[i].empty()) {
        file_term[i] = file_terms++;
      }
    }
    out.I64(file_terms);
    for (const auto& name : names) {
      if (!name.empty()) {
        out.Str(name);
      }
    }
    std::vector<std::pair<int64_t, uint32_t>> by_id;
    for (uint32_t slot = 0; slot < texts_.size(); ++slot) {
      if (texts_[slot].id != 0) {
        by_id.emplace_back(texts_[slot].id, slot);
      }
    }
    std::sort(by_id.begin(), by_id.end());
    out.I64(static_cast<int64_t>(by_id.size()));
    std::vector<bool> written(texts_.size(), false);
    const auto write_text = [&](uint32_t slot, const AnalyzedReport* analysis) {
      written[slot] = true;
      const Text& text = texts_[slot];
      out.I64(text.id);
      out.Str(text.report.id);
      out.Str(text.report.title);
      out.Str(text.report.text);
      out.Str(text.report.address);
      out.I64(text.report.time);
      out.I64(text.region.value());
      out.I64(text.category.value());
      out.U32(static_cast<uint32_t>(text.state));
      out.U8(text.signalled ? 1 : 0);
      for (const auto* terms : {&text.terms.words, &text.terms.places}) {
        out.U32(static_cast<uint32_t>(terms->size()));
        for (const uint32_t term : *terms) {
          out.U32(term);
        }
      }
      // Neighbours still in the window, by ticket id (slots are this process's).
      std::vector<std::pair<double, int64_t>> live;
      for (const Neighbour& n : text.neighbours) {
        const int64_t other = slot_ids_[n.slot];
        if (other != 0 && static_cast<uint32_t>(other) == n.id_low) {
          live.emplace_back(n.score, other);
        }
      }
      out.U32(static_cast<uint32_t>(live.size()));
      for (const auto& [score, other] : live) {
        out.F64(score);
        out.I64(other);
      }
      if (analysis != nullptr) {
        for (const auto& o : analysis->document.terms) {
          if (o.term >= file_term.size() || file_term[o.term] == UINT32_MAX || o.field > 15) {
            analysis = nullptr;  // cannot happen (a held term has a name): tokenized again
            break;
          }
        }
      }
      out.U8(analysis != nullptr ? 1 : 0);
      if (analysis == nullptr) {
        return;
      }
      out.U32(static_cast<uint32_t>(analysis->document.field_lengths.size()));
      for (const uint32_t length : analysis->document.field_lengths) {
        out.U32(length);
      }
      out.U32(static_cast<uint32_t>(analysis->document.terms.size()));
      uint32_t previous = 0;  // file numbers keep the finder's order: deltas are ≥ 0
      for (const auto& o : analysis->document.terms) {
        out.Var(file_term[o.term] - previous);
        previous = file_term[o.term];
        out.Var((uint64_t{o.tf} << 4) | o.field);
      }
      out.U32(static_cast<uint32_t>(analysis->places.size()));
      for (const auto& place : analysis->places) {
        out.Str(place);
      }
      out.U32(static_cast<uint32_t>(analysis->title_grams.size()));
      uint32_t gram = 0;
      for (const uint32_t g : analysis->title_grams) {
        out.Var(g - gram);
        gram = g;
      }
    };
    // In the finder's order, each with what the finder found in it (no tokenizing).
    finder_.ForEachAnalyzed([&](std::string_view number, const AnalyzedReport& analysis) {
      const auto found = slot_of_number_.find(std::string(number));
      if (found != slot_of_number_.end() && texts_[found->second].id != 0 &&
          !written[found->second]) {
        write_text(found->second, &analysis);
      }
    });
    for (const auto& [id, slot] : by_id) {
      if (!written[slot]) {
        write_text(slot, nullptr);
      }
    }
    ok = out.Finish();
  }
  ok = ok && std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  ok = (std::fclose(file) == 0) && ok;
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(temp.c_str());
    return Error{ErrorCode::kUnavailable, fmt::format("无法写热点索引快照 {}：{}", path, why)};
  }
  return OkStatus();
}

std::optional<std::vector<SimilarMatch>> HotTopicIndex::FindSimilar(const Report& report,
                                                                    size_t limit, Instant now) {
  if (!Prepare(now)) {
    return std::nullopt;
  }
  std::shared_lock lock(mu_);
  return finder_.FindSimilar(report, limit);
}

HotTopicIndex::Stats HotTopicIndex::stats() const {
  std::shared_lock lock(mu_);
  Stats s;
  s.loaded = loaded_;
  s.tickets = kept_.size();
  s.texts = finder_.size();
  s.live_finder_calls = live_calls_;
  s.load = load_stats_;
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
  HotTopicIndex* index = current_.get();
  current_->LoadInBackground(now_(), [index](const Status& loaded) {
    if (!loaded.has_value()) {
      return;  // said by LoadInBackground, or cancelled
    }
    const auto s = index->stats();
    if (s.load.from_snapshot) {
      std::fprintf(stderr,
                   "hotline: 热点索引已就绪（快照，追补 %zu 件变更）：%zu 件工单，%zu 件文本，"
                   "用时 %.1f 秒\n",
                   s.load.caught_up, s.tickets, s.texts, s.load.total_ms / 1000);
    } else {
      std::fprintf(stderr,
                   "hotline: 热点索引已就绪（全量加载）：%zu 件工单，%zu 件文本，用时 %.1f 秒\n",
                   s.tickets, s.texts, s.load.total_ms / 1000);
    }
  });
  if (options_.snapshot_path.empty() || options_.snapshot_interval_seconds <= 0 ||
      snapshots_.joinable()) {
    return;
  }
  snapshots_ = std::thread([this] {
    std::unique_lock held(mu_);
    while (!stopped_) {
      stop_cv_.wait_for(held, std::chrono::seconds(options_.snapshot_interval_seconds),
                        [this] { return stopped_; });
      if (stopped_) {
        break;
      }
      std::shared_ptr<HotTopicIndex> serving = current_;
      held.unlock();
      if (serving->loaded()) {
        if (auto written = serving->WriteSnapshot(now_()); !written.has_value()) {
          std::fprintf(stderr, "hotline: %s\n", written.error().message.c_str());
        }
      }
      held.lock();
    }
  });
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
  bool first = false;
  {
    std::lock_guard lock(mu_);
    first = !stopped_;
    stopped_ = true;
    building = std::move(building_);
    current = current_;
  }
  stop_cv_.notify_all();
  if (snapshots_.joinable()) {
    snapshots_.join();
  }
  if (building != nullptr) {
    building->Cancel();
  }
  // A loaded index saves what it holds for the next start (a load in progress does not wait).
  if (first && !options_.snapshot_path.empty() && current->loaded()) {
    if (auto written = current->WriteSnapshot(now_()); !written.has_value()) {
      std::fprintf(stderr, "hotline: %s\n", written.error().message.c_str());
    }
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

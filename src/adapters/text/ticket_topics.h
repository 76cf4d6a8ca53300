// Hot topics and clusters of similar reports over the tickets of a store: loads the tickets
// of a period (and of the periods before it, for comparison), keeps those in the viewer's
// scope, indexes them in a SimilarityFinder built for the call, and runs FindHotTopics or
// ClusterReports. Used by the HTTP module, the CLI and the reports (docs/hot_topics.md).
// Free functions; the store must be thread-safe (TicketStore is); nothing is kept between
// calls.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "adapters/text/hot_topics.h"
#include "common/result.h"
#include "common/time.h"
#include "domain/category.h"
#include "domain/org.h"
#include "domain/ticket.h"
#include "ports/ticket_store.h"

namespace hotline::adapters::text {

struct TicketTopicRequest {
  Instant from;  // [from, to)
  Instant to;
  std::optional<domain::RegionId> region;      // tickets in this region or below it
  std::optional<domain::CategoryId> category;  // tickets in this category or below it
  // The viewer's data scope: tickets it rejects are left out (null: every ticket).
  std::function<bool(const domain::Ticket&)> visible;
  size_t limit = 20;
  size_t min_size = 3;  // clusters: fewer reports are not listed
  // More tickets than this in the loaded periods: kResourceExhausted (narrow the request).
  size_t max_tickets = 200000;
};

struct TicketHotTopics {
  std::vector<HotTopic> topics;
  size_t reports = 0;           // tickets in the period (in scope)
  size_t baseline_reports = 0;  // tickets in the baseline periods (in scope)
  size_t baseline_periods = 0;  // baseline periods with data
};

// kInvalidArgument if from ≥ to; kResourceExhausted beyond max_tickets; store errors.
Result<TicketHotTopics> FindTicketHotTopics(ports::TicketStore& store, const domain::OrgTree& org,
                                            const domain::CategoryTree& categories,
                                            const Tokenizer& tokenizer,
                                            const TicketTopicRequest& request,
                                            HotTopicOptions options = {});

struct TicketCluster {
  std::vector<domain::Ticket> tickets;  // oldest first
  std::vector<std::string> top_terms;   // a label
  size_t open = 0;                      // tickets still being handled
  std::string master;                   // suggested ticket to merge into: the oldest open one
  std::vector<std::string> mergeable;   // the others that the merge action accepts now
};

// Clusters of similar reports registered in [from, to), most mergeable first, then largest.
// Same errors as FindTicketHotTopics.
Result<std::vector<TicketCluster>> FindTicketClusters(ports::TicketStore& store,
                                                      const Tokenizer& tokenizer,
                                                      const domain::OrgTree& org,
                                                      const TicketTopicRequest& request);

// The category a ticket is counted under for growth (its level-2 ancestor's path, or its
// own path at level 1) and the area (its region's county; its township when the request is
// within a county). Empty when unknown.
ReportFacets FacetsOf(const domain::Ticket& ticket, const domain::OrgTree& org,
                      const domain::CategoryTree& categories, bool township_areas);

// HotTopicIndex: the recent tickets kept in memory for hot topics and clusters, so that a
// call reads no rows and analyses no text: the number of tickets per (day, region, category)
// over the last `count_days` local days (the growth kind's baseline periods) and, for the
// last `text_days` (the period and the one before it), each ticket's text in a
// SimilarityFinder with what the ranking needs of it, found once when the ticket arrives: its
// most similar reports (those scoring at least the link threshold, best first) and its words
// and places. Kept up to date ticket by ticket from the change feed (Apply) and loaded from
// the store once at start (Load). Days that leave the window are dropped at the next call.
// A call selects the reports of its period and scope (city, county, category), links each to
// its first ClusterOptions::neighbours stored neighbours within that selection (single link)
// and ranks with RankHotTopics, as FindTicketHotTopics does from the store after indexing
// the selection (docs/hot_topics.md says where the two can differ).
// Thread-safe: calls run in parallel; Apply never waits for a call in progress.
struct HotTopicIndexOptions {
  // Local days kept up to today: a weekly period ending yesterday (the weekly report made on
  // Monday) and the one before it; the same with its 4 baseline periods.
  int text_days = 15;
  int count_days = 36;
  // Neighbours kept per report (scoring at least ClusterOptions::threshold): a scoped call
  // uses the first ClusterOptions::neighbours of them within its scope.
  size_t kept_neighbours = 20;
  // Threads looking up neighbours when many texts wait for them (at load): 0 = the
  // machine's hardware threads, at most 4. The result does not depend on it.
  unsigned load_threads = 0;
  // The snapshot file (docs/hot_topics.md): when set, Load starts from it if it is valid
  // for this store, tokenizer and options (then reads the store only to catch up with the
  // tickets changed since), and WriteSnapshot writes it. Empty: no snapshot.
  std::string snapshot_path;
  // LiveHotTopicIndex writes the snapshot this often (seconds; 0: only when it stops).
  int snapshot_interval_seconds = 600;
  // For tests: called on the loading thread before each text's neighbours are looked up, so
  // a test can hold a load in the middle and see how many lookups follow a Cancel.
  std::function<void()> before_lookup;
};

class HotTopicIndex {
 public:
  // `store` outlives the index; the tokenizer is kept alive by the index.
  HotTopicIndex(ports::TicketStore& store, std::shared_ptr<const Tokenizer> tokenizer,
                HotTopicIndexOptions options = {});
  // `tokenizer` outlives the index.
  HotTopicIndex(ports::TicketStore& store, const Tokenizer& tokenizer,
                HotTopicIndexOptions options = {});
  ~HotTopicIndex();  // cancels a load in progress and joins it
  HotTopicIndex(const HotTopicIndex&) = delete;
  HotTopicIndex& operator=(const HotTopicIndex&) = delete;

  // Reads the tickets of the kept days up to `now` from the store; changes applied meanwhile
  // are kept. Until it has returned, Find answers nullopt. kUnavailable when cancelled.
  Status Load(Instant now);
  // Load in a thread of the index's own (joined by the destructor); `done` (optional) is
  // called on that thread with Load's result.
  void LoadInBackground(Instant now, std::function<void(const Status&)> done = {});
  // Stops a load in progress soon (between two tickets); the index then never answers.
  void Cancel();
  // Writes what the index holds to options.snapshot_path: a temporary file beside it,
  // flushed and renamed over it, so a reader sees the old file or the new one whole.
  // kFailedPrecondition when the index is not loaded or has no snapshot path; I/O errors.
  Status WriteSnapshot(Instant now);
  // A ticket as it is now (a change from the feed).
  void Apply(const domain::Ticket& ticket);

  // The hot topics of `request` from memory, or nullopt when the index cannot answer: not
  // loaded yet, a period (with the one before it, and the baseline for growth) reaching
  // before the kept days or not made of whole local days, or a per-ticket scope
  // (request.visible). Then the caller reads the store (FindTicketHotTopics). `now` says
  // which days are kept.
  std::optional<Result<TicketHotTopics>> Find(const domain::OrgTree& org,
                                              const domain::CategoryTree& categories,
                                              const TicketTopicRequest& request, Instant now,
                                              HotTopicOptions options = {});
  // Clusters as FindTicketClusters gives them, or nullopt as Find (the period alone must be
  // within the kept text days). The tickets carry number, title, content, address, region,
  // category, state and creation time.
  std::optional<Result<std::vector<TicketCluster>>> FindClusters(const domain::OrgTree& org,
                                                                 const TicketTopicRequest& request,
                                                                 Instant now);

  // The `limit` kept texts most similar to `report` (SimilarityFinder::FindSimilar over the
  // finder the index keeps: the texts of the kept text days), or nullopt when not loaded.
  std::optional<std::vector<SimilarMatch>> FindSimilar(const Report& report, size_t limit,
                                                       Instant now);

  const Tokenizer& tokenizer() const { return *tokenizer_; }
  // Whether Load has finished; never waits (stats() waits for a load holding the lock).
  bool loaded() const { return loaded_; }

  // Where the last Load spent its time (milliseconds of wall time, summed per stage).
  struct LoadStats {
    double read_ms = 0;        // store.List: reading and decoding the rows
    double index_ms = 0;       // ApplyLocked: counts, tokenizing into the SimilarityFinder
    double neighbours_ms = 0;  // FindSimilar per kept text (wall time, all threads)
    double terms_ms = 0;       // TermsOf: tokenizing again for words and places, interning
    size_t rows = 0;           // tickets read
    size_t looked_up = 0;      // texts whose neighbours were looked up
    // From a snapshot: reading and checking the file, and putting its texts back into the
    // SimilarityFinder (from their saved analysis: no tokenizing, no neighbour search).
    bool from_snapshot = false;
    double snapshot_read_ms = 0;
    double snapshot_finder_ms = 0;
    size_t snapshot_analysed = 0;   // texts put back from their saved analysis
    size_t snapshot_tokenized = 0;  // texts tokenized again (saved without an analysis)
    size_t caught_up = 0;           // tickets new or changed since the snapshot (applied)
    size_t removed = 0;             // tickets of the snapshot no longer in the store
    std::string snapshot_note;      // why a snapshot was not used (empty when it was, or none)
    double total_ms = 0;
  };
  struct Stats {
    bool loaded = false;
    size_t tickets = 0;            // kept for counting
    size_t texts = 0;              // in the SimilarityFinder
    size_t live_finder_calls = 0;  // calls answered from memory
    LoadStats load;
  };
  Stats stats() const;

 private:
  struct Neighbour {
    double score = 0;
    uint32_t slot = 0;
    uint32_t id_low = 0;  // low bits of the ticket id: a freed and reused slot is no match
  };
  struct Text {      // a ticket of the text days
    int64_t id = 0;  // 0: a free slot
    Report report;
    domain::RegionId region;
    domain::CategoryId category;
    domain::TicketState state{};
    ReportTerms terms;
    std::vector<Neighbour> neighbours;  // scoring ≥ the link threshold, best first
    bool signalled = false;             // neighbours and terms found
  };
  struct Kept {
    int64_t time = 0;
    int64_t region = 0;
    int64_t category = 0;
    int64_t version = 0;  // the ticket's, to catch up after a snapshot
  };
  struct Snapshot;  // a snapshot file read and checked (ticket_topics.cc)
  using CountKey = std::tuple<int64_t, int64_t, int64_t>;  // local day, region, category

  // Under mu_ (exclusive): neighbours and terms of the texts that have none yet.
  void ComputeSignals();
  // Under mu_ (exclusive): moves the kept days up to `now` and applies pending changes.
  void Advance(Instant now);
  void ApplyLocked(const domain::Ticket& ticket);
  void RemoveLocked(int64_t id);  // a ticket no longer in the store
  // Reads and checks the snapshot file: nullopt (with `note` saying why) when there is none
  // or it is not valid for this store, tokenizer, options and window.
  std::optional<Snapshot> ReadSnapshot(int64_t count_start, int64_t text_start,
                                       const std::string& first_number, int64_t data_since,
                                       std::string& note) const;
  // Under mu_ (exclusive), on an empty index: the snapshot's tickets within the window.
  Status InstallSnapshot(Snapshot& snapshot);
  // Reads the tickets of the count days from the store and applies them (all of them, or
  // with `catch_up` only those new or changed since the snapshot installed).
  Status ReadStore(bool catch_up);
  void DrainLocked();
  void FreeText(uint32_t slot);
  // Under mu_ (exclusive): waits until loaded and moves the kept days; false if not loaded.
  bool Prepare(Instant now);
  // Under mu_ (shared): the texts of [from, to) within `region`/`category` (when set), in
  // ticket id order, as slots.
  std::vector<uint32_t> Select(const domain::OrgTree& org, const domain::CategoryTree* categories,
                               const TicketTopicRequest& request, int64_t from, int64_t to) const;
  // Under mu_ (shared): single link over the stored neighbours within `slots`.
  std::vector<std::vector<size_t>> Link(const std::vector<uint32_t>& slots,
                                        ClusterOptions options) const;

  ports::TicketStore& store_;
  std::shared_ptr<const Tokenizer> tokenizer_;
  HotTopicIndexOptions options_;
  ClusterOptions cluster_;
  mutable std::shared_mutex mu_;
  std::unordered_map<int64_t, Kept> kept_;  // every ticket of the count days, by id
  std::map<CountKey, size_t> counts_;
  std::vector<Text> texts_;
  std::vector<int64_t> slot_ids_;  // texts_[i].id, compact for the links' checks
  std::vector<uint32_t> free_;
  std::unordered_map<std::string, uint32_t> slot_of_number_;
  std::unordered_map<int64_t, uint32_t> slot_of_id_;
  std::vector<uint32_t> unsignalled_;
  TermTable terms_;
  SimilarityFinder finder_;  // the texts since text_start_
  int64_t text_start_ = 0;
  int64_t count_start_ = 0;
  int64_t data_since_ = 0;  // the store's first ticket (0: none yet)
  std::atomic<bool> loaded_{false};
  std::atomic<bool> cancelled_{false};
  std::atomic<size_t> live_calls_{0};
  LoadStats load_stats_;  // under mu_
  std::mutex pending_mu_;
  std::vector<domain::Ticket> pending_;  // changes not yet applied
  std::thread loader_;
};

// The index a server answers from, rebuilt aside when the lexicon changes: Rebuild loads a
// new HotTopicIndex with the new tokenizer in the background (fed by Apply like the one in
// use) and swaps it in when it is loaded; calls go on meanwhile with the old one.
// Thread-safe.
class LiveHotTopicIndex {
 public:
  LiveHotTopicIndex(ports::TicketStore& store, std::shared_ptr<const Tokenizer> tokenizer,
                    std::function<Instant()> now, HotTopicIndexOptions options = {});
  ~LiveHotTopicIndex();  // Stop()

  // The first index, loaded in the background (from the snapshot when options name a valid
  // one); one line on stderr says how when it is ready. With a snapshot path, a thread
  // writes the snapshot every snapshot_interval_seconds.
  void Start();
  void Apply(const domain::Ticket& ticket);
  // Nothing when `tokenizer` is the one in use or being loaded already.
  void Rebuild(std::shared_ptr<const Tokenizer> tokenizer);
  // Cancels loads in progress and waits for them (promptly); the index in use stays. A
  // loaded index with a snapshot path writes its snapshot first.
  void Stop();
  std::shared_ptr<HotTopicIndex> current() const;
  size_t rebuilds() const;  // indexes swapped in by Rebuild

 private:
  ports::TicketStore& store_;
  std::function<Instant()> now_;
  HotTopicIndexOptions options_;
  mutable std::mutex mu_;
  std::shared_ptr<HotTopicIndex> current_;
  std::shared_ptr<HotTopicIndex> building_;
  std::shared_ptr<const Tokenizer> wanted_;  // of the index in use or being loaded
  size_t rebuilds_ = 0;
  bool stopped_ = false;
  std::condition_variable stop_cv_;  // wakes the snapshot thread when stopping
  std::thread snapshots_;
};

}  // namespace hotline::adapters::text

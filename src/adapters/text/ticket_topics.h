// Hot topics and clusters of similar reports over the tickets of a store: loads the tickets
// of a period (and of the periods before it, for comparison), keeps those in the viewer's
// scope, indexes them in a SimilarityFinder built for the call, and runs FindHotTopics or
// ClusterReports. Used by the HTTP module, the CLI and the reports (docs/hot_topics.md).
// Free functions; the store must be thread-safe (TicketStore is); nothing is kept between
// calls.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
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

// HotTopicIndex: the recent tickets kept in memory for hot topics, so that a call reads no
// rows and, for the usual request (the whole city, the 7 days up to today), indexes no text:
// the category and region of every ticket registered in the last `count_days` local days
// (the growth kind's baseline periods), the texts of the last `text_days` (the period and the
// one before it) and a SimilarityFinder over those texts, kept up to date ticket by ticket
// from the change feed (Apply) and loaded from the store once at start (Load). Days that
// leave the window are dropped at the next call. The same FindHotTopics ranks the topics, so
// the answer is the one FindTicketHotTopics gives from the store (docs/hot_topics.md).
// Thread-safe: calls run in parallel; Apply never waits for a call in progress.
struct HotTopicIndexOptions {
  int text_days = 14;   // a weekly period and the one before
  int count_days = 35;  // a weekly period and its 4 baseline periods
};

class HotTopicIndex {
 public:
  // `store` and `tokenizer` outlive the index.
  HotTopicIndex(ports::TicketStore& store, const Tokenizer& tokenizer,
                HotTopicIndexOptions options = {});
  ~HotTopicIndex();
  HotTopicIndex(const HotTopicIndex&) = delete;
  HotTopicIndex& operator=(const HotTopicIndex&) = delete;

  // Reads the tickets of the kept days up to `now` from the store; changes applied meanwhile
  // are kept. Until it has returned, Find answers nullopt.
  Status Load(Instant now);
  // Load in a thread of the index's own (joined by the destructor).
  void LoadInBackground(Instant now);
  // A ticket as it is now (a change from the feed).
  void Apply(const domain::Ticket& ticket);

  // The hot topics of `request` from memory, or nullopt when the index cannot answer: not
  // loaded yet, a period (with the one before it, and the baseline for growth) reaching
  // before the kept days, or a per-ticket scope (request.visible). Then the caller reads the
  // store (FindTicketHotTopics). `now` says which days are kept.
  std::optional<Result<TicketHotTopics>> Find(const domain::OrgTree& org,
                                              const domain::CategoryTree& categories,
                                              const TicketTopicRequest& request, Instant now,
                                              HotTopicOptions options = {});

  struct Stats {
    bool loaded = false;
    size_t tickets = 0;            // kept for counting
    size_t texts = 0;              // in the SimilarityFinder
    size_t live_finder_calls = 0;  // calls answered with the long-lived finder
  };
  Stats stats() const;

 private:
  struct Record {
    domain::RegionId region;
    domain::CategoryId category;
    Report report;  // id and time always; the texts only within the text days
    // Neighbours and places, looked up once when the text entered the finder.
    std::shared_ptr<const ReportSignals> signals;
  };
  // Under mu_ (exclusive): the signals of the records with texts that have none yet.
  void ComputeSignals();
  // Under mu_ (exclusive): moves the kept days up to `now` and applies pending changes.
  void Advance(Instant now);
  void ApplyLocked(const domain::Ticket& ticket);
  void DrainLocked();

  ports::TicketStore& store_;
  const Tokenizer& tokenizer_;
  HotTopicIndexOptions options_;
  mutable std::shared_mutex mu_;
  std::map<int64_t, Record> records_;  // by ticket id, as the store lists them
  std::vector<int64_t> unsignalled_;   // records whose signals are to be looked up
  SimilarityFinder finder_;            // the texts of the records since text_start_
  int64_t text_start_ = 0;
  int64_t count_start_ = 0;
  int64_t data_since_ = 0;  // the store's first ticket (0: none yet)
  std::atomic<bool> loaded_{false};
  std::atomic<size_t> live_calls_{0};
  std::mutex pending_mu_;
  std::vector<domain::Ticket> pending_;  // changes not yet applied
  std::thread loader_;
};

}  // namespace hotline::adapters::text

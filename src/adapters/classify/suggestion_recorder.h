// SuggestionRecorder: records, for every ticket registered, what the classifier suggested
// (top 3 labels with confidences, mapped to the category tree, and the model version) and the
// routing directory's unit for the first suggestion, so the suggestions' accuracy against the
// centre's final choice is a KPI (docs/classify.md, "Suggestion accuracy").
//
// It listens to the TicketService's change feed: the listener only copies the ticket's text
// into a bounded queue (the registration request never waits for a prediction or a write).
// One worker thread, at a lower CPU priority than the request threads (nice 10), takes
// everything pending (at most `max_batch` at a time), predicts each, and writes the whole
// batch in one transaction (group commit): a batch is written whole or not at all, never
// half. When the queue is full the registration goes on and its suggestion
// is not recorded: counted in dropped() and logged on stderr (the first drop at once, then at
// most every 10 s with the count). Without a model in the classifier nothing is recorded
// (skipped()).
//
// Stop() (or the destructor) unsubscribes and flushes: every suggestion queued before it is
// recorded, skipped or failed, or, past an optional drain limit, counted as dropped. So after
// Stop, recorded + skipped + failed + dropped = the registrations the feed delivered.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/classify/swappable_classifier.h"
#include "app/ticket_service.h"
#include "ports/classifier_store.h"
#include "ports/clock.h"

namespace hotline::adapters::classify {

struct SuggestionRecorderStats {
  int64_t recorded = 0;  // rows written
  int64_t skipped = 0;   // no model, or a text with nothing to classify
  int64_t failed = 0;    // prediction or store errors (logged)
  int64_t dropped = 0;   // queue full, registered while stopping, or past the drain limit
  int64_t queued = 0;    // waiting now (including the batch being recorded)
  int64_t batches = 0;   // transactions written
};

class SuggestionRecorder {
 public:
  SuggestionRecorder(app::TicketService& service, ports::ClassifierStore& store,
                     const SwappableClassifier& classifier, const ports::Clock& clock,
                     size_t max_queue = 10000, size_t max_batch = 256);
  ~SuggestionRecorder();
  SuggestionRecorder(const SuggestionRecorder&) = delete;
  SuggestionRecorder& operator=(const SuggestionRecorder&) = delete;

  void Start();
  // Unsubscribes and records everything queued, then joins the worker. With `drain_limit`,
  // what is still queued when it has passed is counted as dropped (and logged) instead.
  void Stop(std::optional<std::chrono::milliseconds> drain_limit = std::nullopt);

  // Records the suggestion for one ticket now, on the calling thread (what the CLI's ticket
  // commands call right after a ticket's own transaction): one transaction of its own.
  // kFailedPrecondition without a model; the classifier's kInvalidArgument for a text with
  // nothing to classify; store errors. The record written is returned.
  Result<ports::ClassifySuggestionRecord> Record(domain::TicketId ticket, const std::string& text,
                                                 domain::RegionId region);
  // The suggestion Record would write, without writing it (same errors, no store access).
  Result<ports::ClassifySuggestionRecord> Suggest(domain::TicketId ticket, const std::string& text,
                                                  domain::RegionId region) const;

  // Blocks until the queue is empty and the worker idle (tests, benchmarks).
  void WaitIdle();
  SuggestionRecorderStats stats() const;
  int64_t recorded() const { return recorded_.load(); }
  int64_t skipped() const { return skipped_.load(); }
  int64_t failed() const { return failed_.load(); }
  int64_t dropped() const { return dropped_.load(); }
  int64_t batches() const { return batches_.load(); }

 private:
  struct Item {
    domain::TicketId ticket;
    std::string text;
    domain::RegionId region;
  };
  void Loop();
  void RecordBatch(std::vector<Item>& batch);
  // Under mu_: counts `n` dropped suggestions and logs (at once for the first, then at most
  // every 10 s).
  void DropLocked(int64_t n, const char* why);

  app::TicketService& service_;
  ports::ClassifierStore& store_;
  const SwappableClassifier& classifier_;
  const ports::Clock& clock_;
  const size_t max_queue_;
  const size_t max_batch_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  size_t in_flight_ = 0;  // items of the batch the worker is recording
  bool stopping_ = false;
  std::optional<std::chrono::steady_clock::time_point> drain_deadline_;
  std::thread worker_;
  int64_t subscription_ = 0;
  std::optional<std::chrono::steady_clock::time_point> last_drop_log_;
  int64_t dropped_since_log_ = 0;

  std::atomic<int64_t> recorded_{0};
  std::atomic<int64_t> skipped_{0};
  std::atomic<int64_t> failed_{0};
  std::atomic<int64_t> dropped_{0};
  std::atomic<int64_t> batches_{0};
};

}  // namespace hotline::adapters::classify

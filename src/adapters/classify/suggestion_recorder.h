// SuggestionRecorder: records, for every ticket registered, what the classifier suggested
// (top 3 labels with confidences, mapped to the category tree, and the model version) and the
// routing directory's unit for the first suggestion, so the suggestions' accuracy against the
// centre's final choice is a KPI (docs/classify.md, "Suggestion accuracy").
//
// It listens to the TicketService's change feed: the listener only copies the ticket's text
// into a bounded queue (the registration request does not wait for a prediction); one worker
// thread predicts and writes. When the queue is full, registrations are not recorded (counted
// in dropped()). Without a model in the classifier nothing is recorded.
//
// Thread-safe. Stop() (or the destructor) unsubscribes, records what is queued and joins.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/classify/swappable_classifier.h"
#include "app/ticket_service.h"
#include "ports/classifier_store.h"
#include "ports/clock.h"

namespace hotline::adapters::classify {

class SuggestionRecorder {
 public:
  SuggestionRecorder(app::TicketService& service, ports::ClassifierStore& store,
                     const SwappableClassifier& classifier, const ports::Clock& clock,
                     size_t max_queue = 10000);
  ~SuggestionRecorder();
  SuggestionRecorder(const SuggestionRecorder&) = delete;
  SuggestionRecorder& operator=(const SuggestionRecorder&) = delete;

  void Start();
  void Stop();

  // Records the suggestion for one ticket now, on the calling thread (the worker's step, and
  // what the CLI's ticket commands call right after a ticket's own transaction).
  // kFailedPrecondition without a model; the classifier's kInvalidArgument for a text with
  // nothing to classify; store errors. The record written is returned.
  Result<ports::ClassifySuggestionRecord> Record(domain::TicketId ticket, const std::string& text,
                                                 domain::RegionId region);
  // The suggestion Record would write, without writing it (same errors, no store access).
  Result<ports::ClassifySuggestionRecord> Suggest(domain::TicketId ticket, const std::string& text,
                                                  domain::RegionId region) const;

  // Blocks until the queue is empty and the worker idle (tests, shutdown).
  void WaitIdle();
  int64_t recorded() const { return recorded_.load(); }
  int64_t skipped() const { return skipped_.load(); }  // no model, or nothing to classify
  int64_t failed() const { return failed_.load(); }
  int64_t dropped() const { return dropped_.load(); }

 private:
  struct Item {
    domain::TicketId ticket;
    std::string text;
    domain::RegionId region;
  };
  void Loop();

  app::TicketService& service_;
  ports::ClassifierStore& store_;
  const SwappableClassifier& classifier_;
  const ports::Clock& clock_;
  const size_t max_queue_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;
  int64_t subscription_ = 0;

  std::atomic<int64_t> recorded_{0};
  std::atomic<int64_t> skipped_{0};
  std::atomic<int64_t> failed_{0};
  std::atomic<int64_t> dropped_{0};
};

}  // namespace hotline::adapters::classify

// The classifier's suggestion for tickets the CLI registers (docs/classify.md, "Suggestion
// accuracy"): the top 3 categories and the routing directory's unit, recorded in the same
// process, right after each ticket's own transaction, in a transaction of its own (the ticket
// is whole whether or not its suggestion is written; see docs/classify.md for why it is not
// written inside the ticket's transaction).
//
// The model is loaded once per process, at the first ticket: the --model FILE given, else the
// store's active version, else var/classify.model when present (the order `hotline serve`
// uses); only what prediction needs (LoadScope::kPrediction: a member with mixing weight 0 is
// left out), so the suggestion is the one the server would record. A missing or corrupt model never
// blocks intake: the ticket is created and one message on stderr says that no suggestion is
// recorded (once per process, however many tickets).
//
// Thread-compatible: one command's thread.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "adapters/classify/suggestion_recorder.h"
#include "adapters/classify/swappable_classifier.h"
#include "cli/common.h"
#include "domain/ticket.h"

namespace hotline::cli {

class IntakeSuggestions {
 public:
  // `model_file` "" = the store's active version (else var/classify.model when present).
  IntakeSuggestions(Session& session, std::string model_file);
  ~IntakeSuggestions();
  IntakeSuggestions(const IntakeSuggestions&) = delete;
  IntakeSuggestions& operator=(const IntakeSuggestions&) = delete;

  // Records the suggestion for a ticket just registered and returns it; nullopt when none
  // was recorded (the reason is printed on stderr, once). Never an error: intake goes on.
  std::optional<ports::ClassifySuggestionRecord> Record(const domain::Ticket& ticket);

  // The recorded suggestion for people ("城乡建设 82%、… → 建议承办 市住建局") and for
  // scripts ({"model_version","suggestions":[...],"unit","unit_name"}).
  std::string Describe(const ports::ClassifySuggestionRecord& rec) const;
  nlohmann::json ToJson(const ports::ClassifySuggestionRecord& rec) const;

  int64_t recorded() const { return recorded_; }
  int64_t not_recorded() const { return not_recorded_; }

 private:
  void LoadOnce();
  void Say(const std::string& message);

  Session& session_;
  std::string model_file_;
  bool loaded_ = false;
  bool said_ = false;
  adapters::classify::SwappableClassifier classifier_;
  std::unique_ptr<adapters::classify::SuggestionRecorder> recorder_;
  int64_t recorded_ = 0;
  int64_t not_recorded_ = 0;
};

}  // namespace hotline::cli

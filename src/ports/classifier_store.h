// ClassifierStore port: the request classifier's model versions, the tickets it learns
// from, and the suggestion recorded for each ticket at registration (docs/classify.md).
// Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "domain/classify_accuracy.h"
#include "domain/types.h"

namespace hotline::ports {

/// A stored model version, without its bytes.
struct ClassifierModelInfo {
  int64_t version = 0;  ///< assigned by the store, increasing
  Instant created_at{};
  std::string trained_by;  ///< who or what: "cli", "job", a login
  std::string source;      ///< how: "retrain", "import"
  int64_t training_rows = 0;
  std::string metrics;  ///< JSON object (held-out figures)
  int64_t model_bytes = 0;
  bool active = false;
  std::optional<Instant> activated_at;
};

/// A ticket whose category a dispatcher chose: the training material.
struct LabelledTicket {
  domain::TicketId id;
  domain::CategoryId category;
  std::string title;
  std::string content;
};

/// The classifier's suggestion at a ticket's registration.
struct ClassifySuggestionRecord {
  domain::TicketId ticket;
  Instant at{};
  std::optional<int64_t> model_version;  ///< nullopt: a model loaded from a file
  std::string suggestions;               ///< JSON array [{label, confidence, category}]
  std::array<domain::CategoryId, 3> categories{};
  domain::UnitId unit;
};

class ClassifierStore {
 public:
  virtual ~ClassifierStore() = default;

  /// Stores a model (the bytes of a model file) as a new version; when `activate`, makes it
  /// the active one in the same transaction. Returns the version.
  virtual Result<int64_t> AddClassifierModel(const ClassifierModelInfo& info,
                                             const std::string& model, bool activate) = 0;
  /// Makes `version` the only active model. kNotFound for an unknown version.
  virtual Status ActivateClassifierModel(int64_t version, Instant at) = 0;
  /// Every version, newest first, without bytes.
  virtual Result<std::vector<ClassifierModelInfo>> ListClassifierModels() = 0;
  /// The active version, if any.
  virtual Result<std::optional<int64_t>> ActiveClassifierVersion() = 0;
  /// A version's bytes. kNotFound for an unknown version.
  virtual Result<std::string> LoadClassifierModel(int64_t version) = 0;

  /// Tickets whose category a dispatcher finally chose (docs/classify.md, "Training from the
  /// store"): dispatched at least once, not merged into another, with a category; the newest
  /// `limit` by id, in id order.
  virtual Result<std::vector<LabelledTicket>> DispatchedTickets(int64_t limit) = 0;

  /// Records a suggestion; a ticket keeps its first one (a second is ignored).
  virtual Status PutClassifySuggestion(const ClassifySuggestionRecord& record) = 0;
  /// Records many suggestions in one transaction (group commit): all are written (a ticket
  /// that already has one keeps it) or, on an error, none.
  virtual Status PutClassifySuggestions(const std::vector<ClassifySuggestionRecord>& records) = 0;
  virtual Result<std::optional<ClassifySuggestionRecord>> FindClassifySuggestion(
      domain::TicketId ticket) = 0;
  /// Tickets first dispatched on local dates `from`..`to` (YYYY-MM-DD, inclusive), with the
  /// suggestion recorded at their registration (if any) and their final category and unit.
  virtual Result<std::vector<domain::SuggestionOutcome>> SuggestionOutcomes(
      const std::string& from, const std::string& to) = 0;
};

}  // namespace hotline::ports

// The classifier and the store (docs/classify.md, "Models in the store"): a model tagged with
// its store version, label <-> category mapping, retraining from the tickets' final
// categories, keeping a SwappableClassifier on the store's active version, the scheduled
// retraining job, and the JSON of the suggestion-accuracy KPI.
//
// Thread-safety: the free functions are thread-safe when the store is; ModelWatcher is
// thread-safe; RetrainJob is thread-compatible (one RunOnce at a time).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/classify/dataset.h"
#include "adapters/classify/fasttext_model.h"
#include "adapters/classify/swappable_classifier.h"
#include "common/result.h"
#include "common/time.h"
#include "domain/category.h"
#include "domain/classify_accuracy.h"
#include "ports/classifier_store.h"

namespace hotline::adapters::classify {

// A loaded model with the store version it came from (nullopt: a model file).
class VersionedModel final : public Classifier {
 public:
  VersionedModel(std::unique_ptr<FastTextModel> model, std::optional<int64_t> version)
      : model_(std::move(model)), version_(version) {}

  std::optional<int64_t> version() const { return version_; }
  const FastTextModel& model() const { return *model_; }

  // Classifier
  Result<std::vector<Prediction>> Predict(std::string_view text, int k) const override {
    return model_->Predict(text, k);
  }

 private:
  std::unique_ptr<FastTextModel> model_;
  std::optional<int64_t> version_;
};

// The text a ticket is classified on: its title (when it is not the start of the content)
// and its content.
std::string TicketText(std::string_view title, std::string_view content);

// The label of a category for a model trained at `level` (1 = top level): the name of its
// ancestor at that level for level 1 ("城乡建设"), the ancestor's path below that
// ("城乡建设/住房保障"); a category above `level` is its own label. "" for an unknown id.
std::string LabelOf(const domain::CategoryTree& categories, domain::CategoryId id, int level);
// The category a label names: a path or unique leaf name (CategoryTree::FindByPath), else
// the first category of that name; invalid when none.
domain::CategoryId CategoryOfLabel(const domain::CategoryTree& categories, std::string_view label);

struct RetrainOptions {
  int64_t min_rows = 200;       // fewer labelled tickets: kFailedPrecondition, nothing stored
  int64_t max_rows = 200000;    // the newest tickets at most
  int level = 1;                // label level of the category tree
  int holdout_modulus = 5;      // a ticket is held out when Mix(id) % modulus == 0 (~20%)
  bool force_activate = false;  // activate even when worse than the active model
  std::string trained_by = "cli";
  TrainOptions train;
};

struct RetrainReport {
  int64_t rows = 0;  // labelled tickets read
  int64_t n_train = 0;
  int64_t n_test = 0;
  std::vector<std::string> labels;
  Evaluation eval;  // of the new model on the held-out tickets
  double top3 = 0.0;
  double train_seconds = 0.0;
  std::optional<int64_t> previous_version;  // the active model before
  std::optional<Evaluation> previous_eval;  // ... on the same held-out tickets
  std::string previous_error;               // why it could not be evaluated, if so
  int64_t version = 0;                      // the stored version
  int64_t model_bytes = 0;
  bool activated = false;
  std::string decision;  // Chinese: why it was or was not activated
};

// Whether a ticket is in the held-out slice. The slice depends only on the ticket id, so
// every retraining holds out the same tickets and a model trained by an earlier retraining
// never saw the tickets it is compared on.
bool IsHeldOut(domain::TicketId id, int modulus);

// Trains on the tickets' final categories (ClassifierStore::DispatchedTickets) minus the
// held-out slice, evaluates on the slice, stores the model as a new version with its metrics
// and activates it when it is at least as accurate on the slice as the active model (or
// none is active, or force_activate). kFailedPrecondition with the reason when there are
// fewer than min_rows tickets, fewer than two labels or an empty slice (nothing stored);
// training and store errors otherwise.
Result<RetrainReport> Retrain(ports::ClassifierStore& store, const domain::CategoryTree& categories,
                              Instant now, const RetrainOptions& options);

// Loads a stored version. kNotFound for an unknown version; kInvalidArgument for bytes that
// are not a valid model file (with the version in the message).
Result<std::shared_ptr<const VersionedModel>> LoadStoredModel(ports::ClassifierStore& store,
                                                              int64_t version,
                                                              LoadScope scope = LoadScope::kFull);

// Keeps a SwappableClassifier on the store's active model version.
class ModelWatcher {
 public:
  // `scope`: what a loaded version keeps (kPrediction for a process that only predicts).
  ModelWatcher(ports::ClassifierStore& store, SwappableClassifier& classifier,
               LoadScope scope = LoadScope::kFull)
      : store_(store), classifier_(classifier), scope_(scope) {}

  // Reads the active version; when it differs from the last one seen, loads it and swaps it
  // in. Returns the version now served (nullopt: none from the store). A version that fails
  // to load returns its error once and is not retried until another version is activated;
  // the model in service stays (or none).
  Result<std::optional<int64_t>> Refresh();

 private:
  ports::ClassifierStore& store_;
  SwappableClassifier& classifier_;
  LoadScope scope_;
  std::mutex mu_;
  std::optional<int64_t> seen_;  // last active version seen (loaded or failed)
  std::optional<int64_t> served_;
};

// The scheduled retraining: due when `interval_days` have passed since the newest stored
// model (or there is none), and at most once per interval when attempts fail or find too few
// tickets. Only the clock passed to RunOnce counts (tests inject it).
class RetrainJob {
 public:
  RetrainJob(ports::ClassifierStore& store, RetrainOptions options, int interval_days);

  // Retrains when due; nullopt when not due. Errors of a due attempt are returned.
  Result<std::optional<RetrainReport>> RunOnce(Instant now, const domain::CategoryTree& categories);
  bool Due(Instant now);

 private:
  ports::ClassifierStore& store_;
  RetrainOptions options_;
  Duration interval_;
  std::optional<Instant> last_attempt_;
};

// Whether `s` is a real local date written YYYY-MM-DD (the KPI periods' form).
bool IsLocalDate(const std::string& s);

// {"name":"分类建议准确率","from","to","dispatched","suggested","judged","top1","top3",
//  "top1_rate","top3_rate","unit_judged","unit_hits","unit_rate"} (rates null when n = 0).
nlohmann::json AccuracyJson(const domain::SuggestionAccuracy& a, const std::string& from,
                            const std::string& to);
// The metrics JSON stored with a retrained model.
nlohmann::json RetrainMetricsJson(const RetrainReport& r);

}  // namespace hotline::adapters::classify

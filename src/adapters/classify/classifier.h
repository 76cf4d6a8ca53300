// Classifier: the port-shaped interface the intake use case will call to suggest a
// category for a citizen's message. It lives here until src/ports/ grows a Classifier
// port; adapters (fastText, fakes in tests) implement it. Implementations must be safe
// to call from many threads at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hotline::adapters::classify {

/// One suggested category with its calibrated confidence in [0, 1]: among suggestions
/// made with confidence c, about a fraction c should be right.
struct Prediction {
  std::string label;
  double confidence = 0.0;
};

// What loading a model keeps (FastTextModel::Load, docs/classify.md, "Loading for one
// prediction").
//   kFull: everything (training, experiments, Serialize, the server).
//   kPrediction: only what Predict runs. A kind of member whose mixing weight is 0 is never
//     run by Predict (see Logits), so it is checked (the file's checksum, its signature) but
//     not parsed: Predict, Probabilities and Logits give exactly what the full model gives;
//     Members() lacks it and Serialize() refuses (kFailedPrecondition). For processes that
//     load a model to predict a few texts (`hotline ticket create`).
enum class LoadScope { kFull, kPrediction };

/// Suggests categories for free text.
class Classifier {
 public:
  virtual ~Classifier() = default;

  /// The `k` most likely categories, most likely first; their confidences are
  /// non-increasing and sum to at most 1. Fewer than `k` when the model knows fewer
  /// labels. kInvalidArgument if k < 1 or the text has nothing to classify (no words);
  /// kFailedPrecondition if no model is loaded.
  virtual Result<std::vector<Prediction>> Predict(std::string_view text, int k) const = 0;
};

}  // namespace hotline::adapters::classify

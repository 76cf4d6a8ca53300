// SwappableClassifier: the classifier the application holds for its whole life. It
// forwards to the current model and lets a retrained model replace it at any time
// (hot swap) without stopping predictions: the model is a shared_ptr<const Classifier>
// swapped atomically, so an in-flight Predict() finishes on the model it started with and
// the old model is freed when its last caller returns.
//
// Thread-safe: Predict, Swap, LoadAndSwap and Current may be called concurrently.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "adapters/classify/classifier.h"
#include "common/result.h"

namespace hotline::adapters::classify {

class SwappableClassifier final : public Classifier {
 public:
  SwappableClassifier() = default;  // no model yet: Predict fails with kFailedPrecondition
  explicit SwappableClassifier(std::shared_ptr<const Classifier> model);
  SwappableClassifier(const SwappableClassifier&) = delete;
  SwappableClassifier& operator=(const SwappableClassifier&) = delete;

  // Replaces the current model (null unloads it).
  void Swap(std::shared_ptr<const Classifier> model);
  // Loads a FastTextModel file and swaps it in. On error (kNotFound, kInvalidArgument, see
  // FastTextModel::Load) the current model stays in service.
  Status LoadAndSwap(const std::filesystem::path& path, LoadScope scope = LoadScope::kFull);
  std::shared_ptr<const Classifier> Current() const;

  // Classifier
  Result<std::vector<Prediction>> Predict(std::string_view text, int k) const override;

 private:
  std::atomic<std::shared_ptr<const Classifier>> model_;
};

}  // namespace hotline::adapters::classify

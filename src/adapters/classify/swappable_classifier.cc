#include "adapters/classify/swappable_classifier.h"

#include <utility>

#include "adapters/classify/fasttext_model.h"

namespace hotline::adapters::classify {

SwappableClassifier::SwappableClassifier(std::shared_ptr<const Classifier> model)
    : model_(std::move(model)) {}

void SwappableClassifier::Swap(std::shared_ptr<const Classifier> model) {
  model_.store(std::move(model));
}

Status SwappableClassifier::LoadAndSwap(const std::filesystem::path& path, LoadScope scope) {
  HOTLINE_ASSIGN_OR_RETURN(std::unique_ptr<FastTextModel> model, FastTextModel::Load(path, scope));
  Swap(std::shared_ptr<const Classifier>(std::move(model)));
  return OkStatus();
}

std::shared_ptr<const Classifier> SwappableClassifier::Current() const { return model_.load(); }

Result<std::vector<Prediction>> SwappableClassifier::Predict(std::string_view text, int k) const {
  const std::shared_ptr<const Classifier> model = model_.load();
  if (model == nullptr) {
    return FailedPrecondition("no classifier model is loaded");
  }
  return model->Predict(text, k);
}

}  // namespace hotline::adapters::classify

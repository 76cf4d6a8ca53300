// FastTextModel: a trained request classifier. An ensemble of fastText supervised models
// (softmax loss) over TextFeaturizer token lines, whose averaged log-probabilities are
// calibrated by one temperature fitted on held-out rows. Knows how to train, predict,
// and save/load itself as one self-checking file (see docs/classify.md, "Model file").
//
// Thread-safety: immutable after Train/Load; Predict() may run on many threads at once.
// Train() itself runs fastText with `threads` worker threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/classify/classifier.h"
#include "adapters/classify/dataset.h"
#include "adapters/classify/linear_model.h"
#include "adapters/classify/text_features.h"
#include "common/result.h"

namespace fasttext {
class FastText;
}  // namespace fasttext

namespace hotline::adapters::classify {

// The default fastText member: ICU words (+ word bigrams via word_ngrams); it shares its
// tokens with the linear member. A second member on Han characters and character bigrams
// ("c12") was the default before the linear member, which made it redundant. See
// docs/classify.md for how it was chosen.
std::vector<FeatureOptions> DefaultFeatureSets();
// The linear member's default feature sets: ICU words (with word bigrams) and Han
// character 1..3-grams.
std::vector<FeatureOptions> DefaultLinearFeatureSets();

struct TrainOptions {
  // Each feature set gets `ensemble` fastText members (seeds seed, seed+1, ...); all
  // members' log-probabilities are averaged. Several sets (e.g. words, characters) make
  // the ensemble more diverse than seeds alone.
  std::vector<FeatureOptions> feature_sets = DefaultFeatureSets();
  int epoch = 25;
  double lr = 0.5;
  int dim = 50;
  int word_ngrams = 2;
  int min_count = 2;    // rarer tokens only reach the model through hashed n-grams
  int bucket = 100000;  // hashed n-gram rows; the model file grows by bucket * dim * 4 bytes
  int threads = 2;      // fastText is only deterministic (for a seed) with 1 thread
  int seed = 42;
  int ensemble = 1;  // members per feature set
  // Oversampling of small labels: a label with c rows (largest label: m) is repeated to
  // about c * (m / c)^balance rows. 0 = as given, 1 = all labels equally large.
  double balance = 0.0;
  double calibration_fraction = 0.1;  // held out to fit the temperature; 0 = no calibration
  // After calibrating, retrain the members on all rows (keeping the temperature). Off by
  // default: it doubles training time (over a minute on 2 cores for 5,350 messages) to
  // add the last 10% of rows.
  bool refit_on_all = false;
  // The linear member (TF-IDF + a linear model, linear_model.h) over its own feature sets
  // (a set equal to a fastText set is tokenised once). Its scores are mixed with the
  // fastText members' by a weight fitted on the calibration rows. With no fastText feature
  // set, the linear member alone is the model.
  bool linear = true;
  std::vector<FeatureOptions> linear_feature_sets = DefaultLinearFeatureSets();
  LinearOptions linear_options;
  // Prior correction: the calibrated log-probability of label c gets
  // -prior_correction * log(share of c among the training rows) added (then renormalised),
  // which moves borderline texts towards the smaller labels. 0 = off. Chosen by 5-fold CV
  // (docs/classify.md, experiment 3d).
  double prior_correction = 0.3;
};

struct ModelInfo {
  std::vector<std::string> labels;  // sorted; the order of Probabilities()
  int n_train = 0;                  // rows the final members saw
  int n_calibration = 0;            // held-out rows used to fit the temperature
  double temperature = 1.0;
  double calibration_nll_before = 0.0;  // on the held-out rows, T = 1 vs fitted T
  double calibration_nll_after = 0.0;
  double calibration_ece_before = 0.0;
  double calibration_ece_after = 0.0;
  double train_seconds = 0.0;
  // Mixing of the members: z = (1 - w) * fastText + w * scale * linear, then softmax(z / T).
  // w = 0 without a linear member, 1 without fastText members.
  double linear_weight = 0.0;
  double linear_scale = 1.0;
  // Added to the label's calibrated logit (z / T) before the softmax: the prior correction
  // (TrainOptions::prior_correction). Empty = none (files of format 1 and 2).
  std::vector<double> label_bias;
};

// The members' scores for one text before mixing (for experiments and tests).
struct MemberScores {
  std::vector<double> fasttext;  // mean log-probabilities; empty without fastText members
  std::vector<double> linear;    // linear scores; empty without a linear member
};

class FastTextModel final : public Classifier {
 public:
  // Trains on `data`. kInvalidArgument for fewer than two labels, no rows or bad options;
  // kInternal if fastText fails (its exception text is in the message).
  static Result<std::unique_ptr<FastTextModel>> Train(const std::vector<LabelledText>& data,
                                                      const TrainOptions& options);

  // Loads a model file written by Save(). kNotFound if `path` does not exist;
  // kInvalidArgument if it is not a hotline classifier model, truncated or corrupt (every
  // file carries a checksum that is verified before fastText sees a byte).
  // The file is memory-mapped and parsed in place (no copy of the whole file).
  static Result<std::unique_ptr<FastTextModel>> Load(const std::filesystem::path& path,
                                                     LoadScope scope = LoadScope::kFull);
  // The same from the bytes of a model file (e.g. a blob kept in the store).
  static Result<std::unique_ptr<FastTextModel>> Deserialize(std::string_view bytes,
                                                            LoadScope scope = LoadScope::kFull);

  // Writes the model to `path` atomically (temporary file + rename), so a process that
  // hot-swaps from `path` never reads a half-written file. kInvalidArgument if the file
  // cannot be written.
  Status Save(const std::filesystem::path& path) const;
  Result<std::string> Serialize() const;

  ~FastTextModel() override;
  FastTextModel(const FastTextModel&) = delete;
  FastTextModel& operator=(const FastTextModel&) = delete;

  // Classifier
  Result<std::vector<Prediction>> Predict(std::string_view text, int k) const override;

  // Calibrated probabilities in the order of labels(). kInvalidArgument if the text has
  // no words.
  Result<std::vector<double>> Probabilities(std::string_view text) const;
  // Uncalibrated scores (the mixed members' scores), in the order of labels().
  Result<std::vector<double>> Logits(std::string_view text) const;
  // The members' scores before mixing, and the mixing itself.
  Result<MemberScores> Members(std::string_view text) const;
  std::vector<double> Mix(const MemberScores& scores) const;
  bool has_linear() const { return linear_ != nullptr; }
  // Loaded with LoadScope::kPrediction and a member left out.
  bool prediction_only() const { return prediction_only_; }

  const std::vector<std::string>& labels() const { return info_.labels; }
  const ModelInfo& info() const { return info_; }
  const TrainOptions& options() const { return options_; }

 private:
  struct Member;
  FastTextModel(TrainOptions options, ModelInfo info,
                std::vector<std::unique_ptr<TextFeaturizer>> featurizers,
                std::vector<size_t> linear_sets, std::vector<Member> members,
                std::unique_ptr<LinearModel> linear);
  // `lines[u]` is the text's feature line under featurizer u.
  Result<std::vector<double>> LogitsOfLines(const std::vector<std::string>& lines) const;
  Result<MemberScores> MembersOfLines(const std::vector<std::string>& lines) const;

  TrainOptions options_;
  ModelInfo info_;
  // The fastText feature sets in order, then the linear member's sets that are not among
  // them; linear_sets_[s] is the featurizer of the linear member's set s.
  std::vector<std::unique_ptr<TextFeaturizer>> featurizers_;
  std::vector<size_t> linear_sets_;
  std::vector<Member> members_;
  std::unique_ptr<LinearModel> linear_;  // null without a linear member
  bool prediction_only_ = false;         // a member with weight 0 was not loaded
};

}  // namespace hotline::adapters::classify

// LinearModel: the classifier's linear member. TF-IDF features (sublinear tf, smoothed idf,
// L2 normalisation) over the tokens of one or more feature sets, kept to a vocabulary of
// 64-bit feature hashes seen in at least `min_df` training texts, and one linear model per
// label: a multinomial logistic regression, one-vs-rest L2-loss (squared hinge) SVMs or
// complement naive Bayes. The SVMs (NB-scaled by default) are solved by dual coordinate
// descent, logistic regression by L-BFGS (our own); training is deterministic. See
// docs/classify.md, "Linear member".
//
// Thread-safety: immutable after Train/Deserialize; Scores() may run on many threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hotline::adapters::classify {

enum class LinearLoss {
  kLogistic,         // softmax cross-entropy; Scores() are log-probabilities
  kSquaredHinge,     // one-vs-rest max(0, 1 - y s)^2; Scores() are margins
  kComplementBayes,  // complement naive Bayes on the TF-IDF weights; log-weights
};

// "lr", "svm", "cnb"; kInvalidArgument otherwise.
Result<LinearLoss> ParseLinearLoss(std::string_view name);
std::string_view LinearLossName(LinearLoss loss);

struct LinearOptions {
  // The default was chosen by 5-fold CV on the shared data (docs/classify.md).
  LinearLoss loss = LinearLoss::kSquaredHinge;
  // Inverse regularisation strength, as in LIBLINEAR / scikit-learn: the objective is
  // c * sum of losses + |W|^2 / 2. For CNB, the additive smoothing alpha is 1 / c.
  double c = 3.0;
  int min_df = 2;             // rarer features are dropped (unless none would be left)
  int max_features = 400000;  // the most frequent (by document frequency) are kept
  bool token_bigrams = true;  // adds pairs of adjacent tokens of word-only feature sets
  bool sublinear_tf = true;   // 1 + ln(tf) instead of tf
  int max_iterations = 300;   // L-BFGS iterations
  // NB-SVM (Wang & Manning 2012), kSquaredHinge only: label c's SVM sees each feature
  // scaled by its log-count ratio r_c(f) = log(p_c(f) / q_c(f)), where p_c and q_c are the
  // L1-normalised, nb_alpha-smoothed document counts of f in the texts of c and of the
  // other labels. The scaling is folded into the stored weights (w_c(f) * r_c(f)), so
  // prediction and the model image are unchanged.
  // On by default: +0.6 to +1.0 point of accuracy in CV and held out (docs/classify.md).
  bool nb_scale = true;
  double nb_alpha = 1.0;
  // Per-text cost C_i = c * (N / (K * N_label))^class_weight: 0 = every text alike, 1 =
  // "balanced" (each label weighs as much in total). kSquaredHinge and kLogistic.
  double class_weight = 0.0;
  int threads = 2;  // gradient evaluation threads
};

class LinearModel {
 public:
  // One text: its feature line (tokens separated by single spaces, as TextFeaturizer
  // makes them) under each feature set. Whether set s is word-only and gets bigrams of
  // adjacent tokens is `bigram_sets[s]`.
  using Tokens = std::vector<std::string>;

  // Trains on `docs` with labels `label_ids` in [0, n_labels). kInvalidArgument for no
  // rows, fewer than two labels, mismatched sizes, bad options or texts without tokens.
  static Result<LinearModel> Train(const std::vector<Tokens>& docs,
                                   const std::vector<int>& label_ids, int n_labels,
                                   const std::vector<bool>& bigram_sets,
                                   const LinearOptions& options);

  LinearModel() = default;

  // Scores of each label for one text (same layout as in Train): log-probabilities for
  // kLogistic, margins otherwise. A text with no known feature scores the biases only.
  std::vector<double> Scores(const Tokens& tokens) const;

  // A self-checking byte image (own magic and checksum), and back. Deserialize gives
  // kInvalidArgument, naming the linear member, for anything truncated or damaged.
  std::string Serialize() const;
  static Result<LinearModel> Deserialize(std::string_view bytes);

  int n_labels() const { return n_labels_; }
  size_t n_features() const { return idf_.size(); }
  LinearLoss loss() const { return loss_; }
  const std::vector<bool>& bigram_sets() const { return bigram_sets_; }

 private:
  // Feature index of a hash, or -1.
  int64_t Find(uint64_t hash) const;
  // False when a hash is listed twice.
  bool BuildIndex();
  // Sparse TF-IDF vector (feature index, weight), L2-normalised.
  std::vector<std::pair<uint32_t, float>> Vectorize(const Tokens& tokens) const;

  LinearLoss loss_ = LinearLoss::kLogistic;
  int n_labels_ = 0;
  bool sublinear_tf_ = true;
  std::vector<bool> bigram_sets_;
  std::vector<uint64_t> hashes_;  // feature index -> hash
  std::vector<float> idf_;        // feature index -> idf
  std::vector<float> weights_;    // [feature][label]
  std::vector<float> bias_;       // [label]
  // Open-addressing table: hash -> feature index + 1 (0 = empty); size a power of two.
  std::vector<uint64_t> table_keys_;
  std::vector<uint32_t> table_values_;
};

// Hash of one feature: the set index, the token, and for a bigram the next token.
uint64_t LinearFeatureHash(size_t set, std::string_view token, std::string_view next = {});

}  // namespace hotline::adapters::classify

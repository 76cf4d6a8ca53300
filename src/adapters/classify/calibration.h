// Confidence calibration: temperature scaling (Guo et al. 2017) fitted by minimising the
// negative log-likelihood on held-out rows, and the expected calibration error (ECE) with
// its reliability table. Pure functions; thread-compatible.
#pragma once

#include <vector>

namespace hotline::adapters::classify {

// softmax(logits / temperature); temperature > 0.
std::vector<double> SoftmaxWithTemperature(const std::vector<double>& logits, double temperature);

// The temperature in [0.05, 20] minimising the mean NLL of `gold[i]` under
// softmax(logits[i] / T). Returns 1 for empty input.
double FitTemperature(const std::vector<std::vector<double>>& logits, const std::vector<int>& gold);

// Mean negative log-likelihood of gold under softmax(logits / T).
double NegativeLogLikelihood(const std::vector<std::vector<double>>& logits,
                             const std::vector<int>& gold, double temperature);

// Mean over rows of the standard deviation of a row's scores: how far apart a member's
// scores are, to put two members' logits on one scale before mixing them. 0 for no rows.
double ScoreSpread(const std::vector<std::vector<double>>& rows);

struct ReliabilityBin {
  double lower = 0.0;  // confidence range [lower, upper)
  double upper = 0.0;
  int count = 0;
  double mean_confidence = 0.0;
  double accuracy = 0.0;
};

struct Reliability {
  std::vector<ReliabilityBin> bins;
  double ece = 0.0;  // sum over bins of |accuracy - confidence| weighted by bin share
};

// Reliability of top-1 predictions: `confidence[i]` of the predicted label, `correct[i]`.
Reliability ComputeReliability(const std::vector<double>& confidence,
                               const std::vector<bool>& correct, int bins = 10);

}  // namespace hotline::adapters::classify

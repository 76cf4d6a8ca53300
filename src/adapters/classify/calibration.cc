#include "adapters/classify/calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace hotline::adapters::classify {
namespace {

constexpr double kMinTemperature = 0.05;
constexpr double kMaxTemperature = 20.0;
constexpr int kGoldenSectionSteps = 60;

}  // namespace

std::vector<double> SoftmaxWithTemperature(const std::vector<double>& logits, double temperature) {
  std::vector<double> p(logits.size());
  if (logits.empty()) {
    return p;
  }
  const double max = *std::max_element(logits.begin(), logits.end());
  double sum = 0.0;
  for (size_t i = 0; i < logits.size(); ++i) {
    p[i] = std::exp((logits[i] - max) / temperature);
    sum += p[i];
  }
  for (double& v : p) {
    v /= sum;
  }
  return p;
}

double NegativeLogLikelihood(const std::vector<std::vector<double>>& logits,
                             const std::vector<int>& gold, double temperature) {
  if (logits.empty()) {
    return 0.0;
  }
  double total = 0.0;
  for (size_t i = 0; i < logits.size(); ++i) {
    const auto& z = logits[i];
    const double max = *std::max_element(z.begin(), z.end());
    double sum = 0.0;
    for (double v : z) {
      sum += std::exp((v - max) / temperature);
    }
    total += std::log(sum) - (z[static_cast<size_t>(gold[i])] - max) / temperature;
  }
  return total / static_cast<double>(logits.size());
}

double FitTemperature(const std::vector<std::vector<double>>& logits,
                      const std::vector<int>& gold) {
  if (logits.empty()) {
    return 1.0;
  }
  // NLL is unimodal in log T for temperature scaling; golden-section search on log T.
  const double phi = (std::sqrt(5.0) - 1.0) / 2.0;
  double a = std::log(kMinTemperature);
  double b = std::log(kMaxTemperature);
  double c = b - phi * (b - a);
  double d = a + phi * (b - a);
  double fc = NegativeLogLikelihood(logits, gold, std::exp(c));
  double fd = NegativeLogLikelihood(logits, gold, std::exp(d));
  for (int step = 0; step < kGoldenSectionSteps; ++step) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = NegativeLogLikelihood(logits, gold, std::exp(c));
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = NegativeLogLikelihood(logits, gold, std::exp(d));
    }
  }
  return std::exp((a + b) / 2.0);
}

Reliability ComputeReliability(const std::vector<double>& confidence,
                               const std::vector<bool>& correct, int bins) {
  Reliability r;
  bins = std::max(bins, 1);
  r.bins.resize(static_cast<size_t>(bins));
  for (int b = 0; b < bins; ++b) {
    r.bins[static_cast<size_t>(b)].lower = static_cast<double>(b) / bins;
    r.bins[static_cast<size_t>(b)].upper = static_cast<double>(b + 1) / bins;
  }
  for (size_t i = 0; i < confidence.size(); ++i) {
    const int b = std::clamp(static_cast<int>(confidence[i] * bins), 0, bins - 1);
    ReliabilityBin& bin = r.bins[static_cast<size_t>(b)];
    ++bin.count;
    bin.mean_confidence += confidence[i];
    bin.accuracy += correct[i] ? 1.0 : 0.0;
  }
  const double n = static_cast<double>(confidence.size());
  for (ReliabilityBin& bin : r.bins) {
    if (bin.count > 0) {
      bin.mean_confidence /= bin.count;
      bin.accuracy /= bin.count;
      r.ece += std::abs(bin.accuracy - bin.mean_confidence) * bin.count / n;
    }
  }
  return r;
}

double ScoreSpread(const std::vector<std::vector<double>>& rows) {
  double total = 0.0;
  for (const auto& z : rows) {
    const double mean = std::accumulate(z.begin(), z.end(), 0.0) / static_cast<double>(z.size());
    double var = 0.0;
    for (double v : z) {
      var += (v - mean) * (v - mean);
    }
    total += std::sqrt(var / static_cast<double>(z.size()));
  }
  return rows.empty() ? 0.0 : total / static_cast<double>(rows.size());
}

}  // namespace hotline::adapters::classify

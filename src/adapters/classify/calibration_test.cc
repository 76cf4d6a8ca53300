#include "adapters/classify/calibration.h"

#include <cmath>
#include <numeric>
#include <random>

#include "testing/matchers.h"

namespace hotline::adapters::classify {
namespace {

TEST(Calibration, SoftmaxSumsToOneAndFlattensWithTemperature) {
  const std::vector<double> z = {2.0, 1.0, 0.0};
  const auto p1 = SoftmaxWithTemperature(z, 1.0);
  const auto p4 = SoftmaxWithTemperature(z, 4.0);
  EXPECT_NEAR(std::accumulate(p1.begin(), p1.end(), 0.0), 1.0, 1e-12);
  EXPECT_NEAR(std::accumulate(p4.begin(), p4.end(), 0.0), 1.0, 1e-12);
  EXPECT_GT(p1[0], p4[0]);
  EXPECT_GT(p1[0], p1[1]);
}

TEST(Calibration, RecoversTheTemperatureOfOverconfidentScores) {
  // Labels drawn from softmax(z), scores reported as 3 * z: the fitted T should be ~3.
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1.5);
  std::vector<std::vector<double>> logits;
  std::vector<int> gold;
  for (int i = 0; i < 4000; ++i) {
    std::vector<double> z = {normal(rng), normal(rng), normal(rng), normal(rng)};
    const auto p = SoftmaxWithTemperature(z, 1.0);
    std::discrete_distribution<int> draw(p.begin(), p.end());
    gold.push_back(draw(rng));
    for (double& v : z) {
      v *= 3.0;
    }
    logits.push_back(z);
  }
  const double t = FitTemperature(logits, gold);
  EXPECT_NEAR(t, 3.0, 0.3);
  EXPECT_LT(NegativeLogLikelihood(logits, gold, t), NegativeLogLikelihood(logits, gold, 1.0));
}

TEST(Calibration, EmptyInputKeepsTemperatureOne) { EXPECT_EQ(FitTemperature({}, {}), 1.0); }

TEST(Calibration, ReliabilityOfPerfectAndOverconfidentPredictions) {
  // 10 predictions at 0.8 confidence, 8 right: perfectly calibrated.
  std::vector<double> conf(10, 0.8);
  std::vector<bool> right = {true, true, true, true, true, true, true, true, false, false};
  EXPECT_NEAR(ComputeReliability(conf, right).ece, 0.0, 1e-12);
  // Same confidence, only half right: ECE 0.3.
  right = {true, true, true, true, true, false, false, false, false, false};
  const Reliability r = ComputeReliability(conf, right, 10);
  EXPECT_NEAR(r.ece, 0.3, 1e-12);
  EXPECT_EQ(r.bins.size(), 10u);
  EXPECT_EQ(r.bins[8].count, 10);
}

}  // namespace
}  // namespace hotline::adapters::classify

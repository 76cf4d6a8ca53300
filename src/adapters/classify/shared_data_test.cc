// Checks on the real messages in ../shared/data (skipped when that folder is absent).
#include <algorithm>

#include "adapters/classify/dataset.h"
#include "adapters/classify/fasttext_model.h"
#include "testing/matchers.h"

namespace hotline::adapters::classify {
namespace {

TEST(ClassifySharedData, ReadsAndLearnsTheRealMessages) {
  const auto dir = ::hotline::testing::SharedDataDir();
  if (!dir.has_value() || !std::filesystem::exists(*dir / "classify_train.tsv")) {
    GTEST_SKIP() << "../shared/data/classify_train.tsv is absent (set HOTLINE_SHARED_DATA); "
                    "skipping the real-data check";
  }
  auto rows = ReadLabelledTsv(*dir / "classify_train.tsv");
  ASSERT_OK(rows);
  EXPECT_GT(rows->size(), 5000u);
  EXPECT_EQ(DistinctLabels(*rows).size(), 7u);

  // A quick, small model (truncated texts, few rows) so this stays fast under ASan; the
  // real figures come from `hotline classify eval` (docs/classify.md).
  const Split split = StratifiedSplit(*rows, 0.1, 7);
  std::vector<LabelledText> train;
  for (size_t i = 0; i < split.train.size(); i += 3) {
    train.push_back((*rows)[split.train[i]]);
  }
  TrainOptions o;
  o.feature_sets = ParseFeatureSets("c12").value();  // no ICU segmentation: cheaper
  o.feature_sets[0].max_chars = 120;
  o.linear = false;  // the fastText member on real text; the linear member has its own tests
  o.epoch = 20;
  o.dim = 16;
  o.bucket = 50000;
  o.threads = 2;
  o.calibration_fraction = 0.0;
  auto model = FastTextModel::Train(train, o);
  ASSERT_OK(model);
  int right = 0;
  for (size_t i : split.test) {
    auto top = (*model)->Predict((*rows)[i].text, 1);
    right += top.has_value() && top->front().label == (*rows)[i].label ? 1 : 0;
  }
  // Seven unbalanced labels: always answering the largest would score about 0.22.
  EXPECT_GT(static_cast<double>(right) / static_cast<double>(split.test.size()), 0.55);
}

}  // namespace
}  // namespace hotline::adapters::classify

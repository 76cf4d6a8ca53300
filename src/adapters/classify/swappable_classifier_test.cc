#include "adapters/classify/swappable_classifier.h"

#include <atomic>
#include <filesystem>
#include <thread>

#include "adapters/classify/fasttext_model.h"
#include "adapters/classify/synthetic_corpus.h"
#include "testing/matchers.h"

namespace hotline::adapters::classify {
namespace {

using ::hotline::testing::HasErrorCode;

// Always suggests one fixed label.
class FixedClassifier final : public Classifier {
 public:
  explicit FixedClassifier(std::string label) : label_(std::move(label)) {}
  Result<std::vector<Prediction>> Predict(std::string_view /*text*/, int /*k*/) const override {
    return std::vector<Prediction>{{label_, 1.0}};
  }

 private:
  std::string label_;
};

std::string TopLabel(const Classifier& c) {
  auto top = c.Predict("路灯", 1);
  return top.has_value() ? top->front().label : "";
}

TEST(SwappableClassifier, WithoutAModelFailsCleanly) {
  SwappableClassifier c;
  EXPECT_THAT(c.Predict("路灯坏了", 3), HasErrorCode(ErrorCode::kFailedPrecondition));
}

TEST(SwappableClassifier, SwapReplacesTheModel) {
  SwappableClassifier c(std::make_shared<FixedClassifier>("A"));
  EXPECT_EQ(TopLabel(c), "A");
  c.Swap(std::make_shared<FixedClassifier>("B"));
  EXPECT_EQ(TopLabel(c), "B");
  c.Swap(nullptr);
  EXPECT_THAT(c.Predict("路灯", 1), HasErrorCode(ErrorCode::kFailedPrecondition));
}

TEST(SwappableClassifier, PredictionsContinueWhileSwapping) {
  SwappableClassifier c(std::make_shared<FixedClassifier>("A"));
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        const std::string label = TopLabel(c);
        if (label != "A" && label != "B") {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (int i = 0; i < 2000; ++i) {
    c.Swap(std::make_shared<FixedClassifier>(i % 2 == 0 ? "B" : "A"));
  }
  stop.store(true);
  for (std::thread& t : readers) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
}

TEST(SwappableClassifier, LoadAndSwapKeepsTheOldModelOnError) {
  SwappableClassifier c(std::make_shared<FixedClassifier>("A"));
  const auto dir = std::filesystem::temp_directory_path();
  EXPECT_THAT(c.LoadAndSwap(dir / "no-such-classifier-model.bin"),
              HasErrorCode(ErrorCode::kNotFound));
  EXPECT_EQ(TopLabel(c), "A");

  TrainOptions o;
  o.epoch = 10;
  o.dim = 8;
  o.bucket = 5000;
  o.threads = 1;
  auto model = FastTextModel::Train(SyntheticCorpus(20, 5), o);
  ASSERT_OK(model);
  const auto path = dir / ("swap_test_" + std::to_string(::getpid()) + ".bin");
  ASSERT_OK((*model)->Save(path));
  EXPECT_OK(c.LoadAndSwap(path));
  std::filesystem::remove(path);
  auto top = c.Predict("医院挂号医生", 1);
  ASSERT_OK(top);
  EXPECT_EQ(top->front().label, "卫生计生");
}

}  // namespace
}  // namespace hotline::adapters::classify

// Loading a model file: the memory-mapped Load gives the model Deserialize gives, and
// LoadScope::kPrediction (what `hotline ticket create` uses) predicts exactly what the full
// model predicts while leaving out a member whose mixing weight is 0, and still refuses a
// damaged file, even when the damage is in the part it leaves out.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "adapters/classify/byte_io.h"
#include "adapters/classify/fasttext_model.h"
#include "adapters/classify/model_file_testing.h"
#include "adapters/classify/synthetic_corpus.h"
#include "testing/matchers.h"

namespace hotline::adapters::classify {
namespace {

namespace fs = std::filesystem;
using ::hotline::testing::HasErrorCode;

// The model file's bytes with the mixing weight in its JSON header set to `w` and the
// file's checksum redone (as if training had fitted `w`).
std::string WithLinearWeight(const std::string& bytes, double w) {
  return WithHeader(bytes, [w](nlohmann::json& header) { header["info"]["linear_weight"] = w; });
}

class ModelLoadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto model = FastTextModel::Train(SyntheticCorpus(40, 3), SmallMixedOptions());
    ASSERT_OK(model);
    auto bytes = (*model)->Serialize();
    ASSERT_OK(bytes);
    bytes_ = new std::string(std::move(*bytes));
  }
  static void TearDownTestSuite() { delete bytes_; }

  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hotline-model-load-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Write(const std::string& name, const std::string& bytes) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  // Every text of an unseen corpus gets the same probabilities from both models.
  static void ExpectSamePredictions(const FastTextModel& a, const FastTextModel& b) {
    for (const LabelledText& row : SyntheticCorpus(8, 77)) {
      auto pa = a.Probabilities(row.text);
      auto pb = b.Probabilities(row.text);
      ASSERT_OK(pa);
      ASSERT_OK(pb);
      EXPECT_EQ(*pa, *pb) << row.text;  // bit for bit
      auto ta = a.Predict(row.text, 3);
      auto tb = b.Predict(row.text, 3);
      ASSERT_OK(ta);
      ASSERT_OK(tb);
      ASSERT_EQ(ta->size(), tb->size());
      for (size_t i = 0; i < ta->size(); ++i) {
        EXPECT_EQ((*ta)[i].label, (*tb)[i].label);
        EXPECT_EQ((*ta)[i].confidence, (*tb)[i].confidence);
      }
    }
  }

  static std::string* bytes_;
  fs::path dir_;
};
std::string* ModelLoadTest::bytes_ = nullptr;

TEST_F(ModelLoadTest, TheMappedFileLoadsAsTheBytesDo) {
  auto from_bytes = FastTextModel::Deserialize(*bytes_);
  ASSERT_OK(from_bytes);
  auto from_file = FastTextModel::Load(Write("m.bin", *bytes_));
  ASSERT_OK(from_file);
  ExpectSamePredictions(**from_bytes, **from_file);
  EXPECT_FALSE((*from_file)->prediction_only());
  auto again = (*from_file)->Serialize();
  ASSERT_OK(again);
  auto reloaded = FastTextModel::Deserialize(*again);
  ASSERT_OK(reloaded);
  ExpectSamePredictions(**from_bytes, **reloaded);

  EXPECT_THAT(FastTextModel::Load(dir_ / "none.bin"), HasErrorCode(ErrorCode::kNotFound));
  EXPECT_THAT(FastTextModel::Load(Write("empty.bin", "")),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(FastTextModel::Load(Write("short.bin", bytes_->substr(0, bytes_->size() / 2))),
              HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST_F(ModelLoadTest, PredictionScopeLeavesOutOnlyAMemberWithWeightZero) {
  const double fitted = (*FastTextModel::Deserialize(*bytes_))->info().linear_weight;
  for (const double w : {fitted, 0.5, 1.0, 0.0}) {
    SCOPED_TRACE(w);
    const std::string bytes = WithLinearWeight(*bytes_, w);
    auto full = FastTextModel::Deserialize(bytes);
    ASSERT_OK(full);
    auto lean = FastTextModel::Load(Write("w.bin", bytes), LoadScope::kPrediction);
    ASSERT_OK(lean);
    ExpectSamePredictions(**full, **lean);
    const bool left_out = w == 0.0 || w == 1.0;
    EXPECT_EQ((*lean)->prediction_only(), left_out);
    EXPECT_EQ((*lean)->has_linear(), w != 0.0);
    auto members = (*lean)->Members("医院挂号太难");
    ASSERT_OK(members);
    EXPECT_EQ(members->fasttext.empty(), w == 1.0);
    if (left_out) {
      // Not the whole model: it cannot be saved as one.
      EXPECT_THAT((*lean)->Serialize(), HasErrorCode(ErrorCode::kFailedPrecondition));
    } else {
      EXPECT_OK((*lean)->Serialize());
    }
  }
}

TEST_F(ModelLoadTest, PredictionScopeStillRefusesDamageInWhatItLeavesOut) {
  const std::string bytes = WithLinearWeight(*bytes_, 1.0);  // the fastText member is left out
  std::string damaged = bytes;
  const size_t in_member = bytes.find("__label__");  // inside the fastText member
  ASSERT_NE(in_member, std::string::npos);
  damaged[in_member] = static_cast<char>(damaged[in_member] ^ 0x20);
  EXPECT_THAT(FastTextModel::Deserialize(damaged, LoadScope::kPrediction),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(FastTextModel::Load(Write("bad.bin", damaged), LoadScope::kPrediction),
              HasErrorCode(ErrorCode::kInvalidArgument));
  // A bad weight in the header is refused, not taken as a reason to leave a member out.
  EXPECT_THAT(FastTextModel::Deserialize(WithLinearWeight(*bytes_, 1.5), LoadScope::kPrediction),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(FastTextModel::Deserialize(WithLinearWeight(*bytes_, -0.5), LoadScope::kPrediction),
              HasErrorCode(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace hotline::adapters::classify

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

// Format 4 (faster checksum, linear image version 2) holds the same model as format 3: a
// format 3 file of the same model (FNV-1a checksums, as the code before format 4 wrote it)
// still loads, and both predict bit for bit alike, in both scopes.
TEST_F(ModelLoadTest, FormatThreeFilesStillLoadAndPredictAsFormatFour) {
  ASSERT_EQ(bytes_->substr(0, 8), "HLCLSF02");
  const std::string v3 = WithHeader(*bytes_, [](nlohmann::json& header) { header["format"] = 3; });
  ASSERT_EQ(v3.substr(0, 8), "HLCLSF01");
  auto four = FastTextModel::Deserialize(*bytes_);
  ASSERT_OK(four);
  for (const LoadScope scope : {LoadScope::kFull, LoadScope::kPrediction}) {
    auto three = FastTextModel::Load(Write("v3.bin", v3), scope);
    ASSERT_OK(three);
    ExpectSamePredictions(**four, **three);
  }
  // Saving an old file writes the current format, which loads to the same model.
  auto resaved = (*FastTextModel::Deserialize(v3))->Serialize();
  ASSERT_OK(resaved);
  EXPECT_EQ(resaved->substr(0, 8), "HLCLSF02");
  auto reloaded = FastTextModel::Deserialize(*resaved);
  ASSERT_OK(reloaded);
  ExpectSamePredictions(**four, **reloaded);
  // A header and a magic that disagree are refused (a format 4 file under the old magic).
  std::string mislabelled = *bytes_;
  mislabelled.replace(0, 8, "HLCLSF01");
  Reseal(mislabelled);
  auto refused = FastTextModel::Deserialize(mislabelled);
  EXPECT_THAT(refused, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_NE(refused.error().message.find("magic"), std::string::npos) << refused.error().message;
}

// One flipped byte anywhere in a format 4 or format 3 file, in the header, the fastText
// member, the linear member or the checksum itself, is a clear error (never a crash), in
// both scopes.
TEST_F(ModelLoadTest, AFlippedByteAnywhereIsRefused) {
  const std::string v3 = WithHeader(*bytes_, [](nlohmann::json& header) { header["format"] = 3; });
  for (const std::string* file : {static_cast<const std::string*>(bytes_), &v3}) {
    SCOPED_TRACE(file->substr(0, 8));
    const size_t linear = file->rfind("HLCLSL01");
    ASSERT_NE(linear, std::string::npos);
    const size_t n = file->size();
    for (const size_t at : {size_t{20}, n / 4, n / 2, linear + 9, linear + 1000, n - 20, n - 1}) {
      SCOPED_TRACE(at);
      std::string damaged = *file;
      damaged[at] = static_cast<char>(damaged[at] ^ 0x04);
      for (const LoadScope scope : {LoadScope::kFull, LoadScope::kPrediction}) {
        auto loaded = FastTextModel::Deserialize(damaged, scope);
        EXPECT_THAT(loaded, HasErrorCode(ErrorCode::kInvalidArgument));
        if (!loaded.has_value()) {
          EXPECT_NE(loaded.error().message.find("checksum"), std::string::npos)
              << loaded.error().message;
        }
      }
      EXPECT_THAT(FastTextModel::Load(Write("flipped.bin", damaged), LoadScope::kPrediction),
                  HasErrorCode(ErrorCode::kInvalidArgument));
    }
  }
}

// The checksum of format 4 notices any change confined to one byte, at every position and
// bit of a buffer (the lanes' whole 32-byte blocks and the tail alike), and a change of length.
TEST(WordHash64, ChangesWithEveryByte) {
  std::string data;
  for (int i = 0; i < 77; ++i) {
    data.push_back(static_cast<char>(i * 37 + 11));
  }
  const uint64_t base = wire::WordHash64(data);
  EXPECT_EQ(wire::WordHash64(data), base);
  for (size_t at = 0; at < data.size(); ++at) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string changed = data;
      changed[at] = static_cast<char>(changed[at] ^ (1 << bit));
      EXPECT_NE(wire::WordHash64(changed), base) << at << " " << bit;
    }
  }
  EXPECT_NE(wire::WordHash64(data + std::string(1, '\0')), base);
  EXPECT_NE(wire::WordHash64(data.substr(0, 64)), wire::WordHash64(data.substr(0, 64) + "x"));
}

}  // namespace
}  // namespace hotline::adapters::classify

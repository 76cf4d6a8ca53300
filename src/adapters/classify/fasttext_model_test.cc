#include "adapters/classify/fasttext_model.h"

#include <filesystem>
#include <fstream>
#include <numeric>

#include "adapters/classify/model_file_testing.h"
#include "adapters/classify/synthetic_corpus.h"
#include "testing/matchers.h"

namespace hotline::adapters::classify {
namespace {

using ::hotline::testing::HasErrorCode;

std::filesystem::path TempPath(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("classify_model_test_" + std::to_string(::getpid()) + "_" + name);
}

class FastTextModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto model = FastTextModel::Train(SyntheticCorpus(60, 1), SmallTrainOptions());
    ASSERT_OK(model);
    model_ = std::move(model).value().release();
  }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }
  static FastTextModel* model_;
};
FastTextModel* FastTextModelTest::model_ = nullptr;

TEST_F(FastTextModelTest, BeatsChanceByAWideMargin) {
  const auto test = SyntheticCorpus(25, 99);  // unseen messages, 4 labels: chance is 0.25
  int right = 0;
  for (const LabelledText& row : test) {
    auto top = model_->Predict(row.text, 1);
    ASSERT_OK(top);
    right += top->front().label == row.label ? 1 : 0;
  }
  EXPECT_GE(static_cast<double>(right) / static_cast<double>(test.size()), 0.85);
  EXPECT_EQ(model_->labels().size(), 4u);
}

TEST_F(FastTextModelTest, ConfidencesAreCalibratedProbabilities) {
  auto top = model_->Predict("小区附近的医院挂号太难，希望尽快处理", 3);
  ASSERT_OK(top);
  ASSERT_EQ(top->size(), 3u);
  EXPECT_EQ(top->front().label, "卫生计生");
  double sum = 0.0;
  for (size_t i = 0; i < top->size(); ++i) {
    EXPECT_GE((*top)[i].confidence, 0.0);
    EXPECT_LE((*top)[i].confidence, 1.0);
    if (i > 0) {
      EXPECT_GE((*top)[i - 1].confidence, (*top)[i].confidence);
    }
    sum += (*top)[i].confidence;
  }
  EXPECT_LE(sum, 1.0 + 1e-9);
  auto p = model_->Probabilities("噪音污染");
  ASSERT_OK(p);
  EXPECT_NEAR(std::accumulate(p->begin(), p->end(), 0.0), 1.0, 1e-9);
  const ModelInfo& info = model_->info();
  EXPECT_GT(info.temperature, 0.0);
  EXPECT_GT(info.n_calibration, 0);
  EXPECT_LE(info.calibration_nll_after, info.calibration_nll_before + 1e-9);
}

TEST_F(FastTextModelTest, AsksForMoreLabelsThanExistGetsAll) {
  auto top = model_->Predict("学校学费", 10);
  ASSERT_OK(top);
  EXPECT_EQ(top->size(), 4u);
}

TEST_F(FastTextModelTest, RejectsBadRequests) {
  EXPECT_THAT(model_->Predict("学校", 0), HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(model_->Predict("！？。", 3), HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(model_->Predict("", 3), HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST_F(FastTextModelTest, SaveAndLoadGiveTheSamePredictions) {
  const auto path = TempPath("roundtrip.bin");
  ASSERT_OK(model_->Save(path));
  auto loaded = FastTextModel::Load(path);
  std::filesystem::remove(path);
  ASSERT_OK(loaded);
  EXPECT_EQ((*loaded)->labels(), model_->labels());
  EXPECT_DOUBLE_EQ((*loaded)->info().temperature, model_->info().temperature);
  for (const char* text : {"地铁站附近停车场", "污水排放臭味", "幼儿园招生"}) {
    auto a = model_->Probabilities(text);
    auto b = (*loaded)->Probabilities(text);
    ASSERT_OK(a);
    ASSERT_OK(b);
    for (size_t i = 0; i < a->size(); ++i) {
      EXPECT_NEAR((*a)[i], (*b)[i], 1e-9);
    }
  }
}

TEST_F(FastTextModelTest, MissingModelIsNotFound) {
  EXPECT_THAT(FastTextModel::Load(TempPath("does-not-exist.bin")),
              HasErrorCode(ErrorCode::kNotFound));
}

void WriteBytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST_F(FastTextModelTest, CorruptModelFilesAreInvalidArgument) {
  auto good = model_->Serialize();
  ASSERT_OK(good);
  std::string flipped = *good;
  flipped[flipped.size() / 2] ^= 0x5A;
  std::string raw_fasttext("\xBA\x16\x4F\x2F\x0C\x00\x00\x00", 8);  // fastText's signature
  raw_fasttext += std::string(64, '\0');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"text", "this is not a model\n"},
      {"truncated", good->substr(0, good->size() / 3)},
      {"flipped", flipped},
      {"raw_fasttext", raw_fasttext},
      {"header_only", good->substr(0, 40)},
  };
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    const auto path = TempPath(name + ".bin");
    WriteBytes(path, bytes);
    auto loaded = FastTextModel::Load(path);
    std::filesystem::remove(path);
    EXPECT_THAT(loaded, HasErrorCode(ErrorCode::kInvalidArgument));
    if (!loaded.has_value()) {
      EXPECT_NE(loaded.error().message.find(path.string()), std::string::npos);
    }
  }
  EXPECT_THAT(FastTextModel::Load(std::filesystem::temp_directory_path()),
              HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST_F(FastTextModelTest, SaveToAMissingFolderFails) {
  EXPECT_THAT(model_->Save("/nonexistent-folder/model.bin"),
              HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(FastTextModelTrain, RejectsDegenerateData) {
  EXPECT_THAT(FastTextModel::Train({}, SmallTrainOptions()),
              HasErrorCode(ErrorCode::kInvalidArgument));
  const std::vector<LabelledText> one_label = {{"A", "路灯坏了"}, {"A", "学校收费"}};
  EXPECT_THAT(FastTextModel::Train(one_label, SmallTrainOptions()),
              HasErrorCode(ErrorCode::kInvalidArgument));
  TrainOptions bad = SmallTrainOptions();
  bad.epoch = 0;
  EXPECT_THAT(FastTextModel::Train(SyntheticCorpus(2, 1), bad),
              HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(FastTextModelTrain, TinyDataWithoutCalibrationStillWorks) {
  // Too few rows per label to hold any out: trains on everything with temperature 1.
  const std::vector<LabelledText> rows = {{"交通运输", "公交车晚点"}, {"教育文体", "学校收费"}};
  auto model = FastTextModel::Train(rows, SmallTrainOptions());
  ASSERT_OK(model);
  EXPECT_EQ((*model)->info().n_train, 2);
  EXPECT_OK((*model)->Predict("公交车", 2));
}

TEST(FastTextModelTrain, EnsembleOfTwoMembersRoundTrips) {
  TrainOptions o = SmallTrainOptions();
  o.ensemble = 2;
  o.calibration_fraction = 0.0;
  auto model = FastTextModel::Train(SyntheticCorpus(20, 3), o);
  ASSERT_OK(model);
  auto bytes = (*model)->Serialize();
  ASSERT_OK(bytes);
  auto loaded = FastTextModel::Deserialize(*bytes);
  ASSERT_OK(loaded);
  auto top = (*loaded)->Predict("医院医生护士", 1);
  ASSERT_OK(top);
  EXPECT_EQ(top->front().label, "卫生计生");
}

}  // namespace
}  // namespace hotline::adapters::classify

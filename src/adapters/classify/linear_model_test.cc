#include "adapters/classify/linear_model.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>

#include "adapters/classify/byte_io.h"
#include "adapters/classify/calibration.h"
#include "adapters/classify/fasttext_model.h"
#include "adapters/classify/model_file_testing.h"
#include "adapters/classify/synthetic_corpus.h"
#include "testing/matchers.h"

namespace hotline::adapters::classify {
namespace {

using ::hotline::testing::HasErrorCode;
using ::testing::HasSubstr;

// A small labelled set of feature lines written for this test: three topics, each text
// has two topic words among shared filler, so no single token decides.
struct TokenSet {
  std::vector<LinearModel::Tokens> docs;
  std::vector<int> labels;
};

TokenSet MakeTokenSet(int per_label, unsigned seed) {
  const std::vector<std::vector<std::string>> topics = {
      {"公交", "地铁", "站台", "司机", "线路", "票价"},
      {"学校", "老师", "学生", "学费", "招生", "课程"},
      {"医院", "医生", "挂号", "药品", "护士", "门诊"},
  };
  const std::vector<std::string> filler = {"我们", "小区", "附近", "反映", "希望", "尽快", "处理"};
  std::mt19937 rng(seed);
  TokenSet set;
  for (int i = 0; i < per_label; ++i) {
    for (size_t t = 0; t < topics.size(); ++t) {
      std::string line;
      for (int w = 0; w < 6; ++w) {
        const std::string& token =
            w % 3 == 1 ? topics[t][rng() % topics[t].size()] : filler[rng() % filler.size()];
        line += (line.empty() ? "" : " ") + token;
      }
      set.docs.push_back({line});
      set.labels.push_back(static_cast<int>(t));
    }
  }
  return set;
}

double Accuracy(const LinearModel& model, const TokenSet& set) {
  int right = 0;
  for (size_t i = 0; i < set.docs.size(); ++i) {
    const std::vector<double> s = model.Scores(set.docs[i]);
    right += std::max_element(s.begin(), s.end()) - s.begin() == set.labels[i] ? 1 : 0;
  }
  return static_cast<double>(right) / static_cast<double>(set.docs.size());
}

LinearOptions Options(LinearLoss loss) {
  LinearOptions o;
  o.loss = loss;
  o.min_df = 1;
  o.threads = 2;
  return o;
}

class LinearLossTest : public ::testing::TestWithParam<LinearLoss> {};

TEST_P(LinearLossTest, BeatsChanceByAWideMargin) {
  const TokenSet train = MakeTokenSet(40, 1);
  const TokenSet test = MakeTokenSet(30, 2);  // unseen texts; 3 labels: chance is 1/3
  auto model = LinearModel::Train(train.docs, train.labels, 3, {true}, Options(GetParam()));
  ASSERT_OK(model);
  EXPECT_GE(Accuracy(*model, test), 0.9);
  EXPECT_EQ(model->n_labels(), 3);
  EXPECT_GT(model->n_features(), 18u);  // 18 topic and filler words plus bigrams
}

TEST_P(LinearLossTest, RoundTripGivesIdenticalScores) {
  const TokenSet train = MakeTokenSet(20, 3);
  auto model = LinearModel::Train(train.docs, train.labels, 3, {true}, Options(GetParam()));
  ASSERT_OK(model);
  auto loaded = LinearModel::Deserialize(model->Serialize());
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->loss(), GetParam());
  EXPECT_EQ(loaded->n_features(), model->n_features());
  for (const auto& doc : MakeTokenSet(5, 4).docs) {
    EXPECT_EQ(loaded->Scores(doc), model->Scores(doc));
  }
  EXPECT_EQ(loaded->Serialize(), model->Serialize());
}

INSTANTIATE_TEST_SUITE_P(Losses, LinearLossTest,
                         ::testing::Values(LinearLoss::kLogistic, LinearLoss::kSquaredHinge,
                                           LinearLoss::kComplementBayes));

TEST(LinearModel, LogisticScoresAreLogProbabilities) {
  const TokenSet train = MakeTokenSet(20, 5);
  auto model =
      LinearModel::Train(train.docs, train.labels, 3, {true}, Options(LinearLoss::kLogistic));
  ASSERT_OK(model);
  const std::vector<double> s = model->Scores({"医生 挂号 门诊"});
  double total = 0.0;
  for (double v : s) {
    EXPECT_LE(v, 0.0);
    total += std::exp(v);
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
  EXPECT_EQ(std::max_element(s.begin(), s.end()) - s.begin(), 2);
  // Nothing known: the biases alone, still a distribution.
  const std::vector<double> unknown = model->Scores({"完全 陌生 词语"});
  EXPECT_NEAR(std::exp(unknown[0]) + std::exp(unknown[1]) + std::exp(unknown[2]), 1.0, 1e-9);
}

TEST(LinearModel, RejectsBadInput) {
  const TokenSet train = MakeTokenSet(5, 6);
  EXPECT_THAT(LinearModel::Train({}, {}, 3, {true}, LinearOptions{}),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LinearModel::Train(train.docs, train.labels, 1, {true}, LinearOptions{}),
              HasErrorCode(ErrorCode::kInvalidArgument));
  LinearOptions bad;
  bad.c = 0.0;
  EXPECT_THAT(LinearModel::Train(train.docs, train.labels, 3, {true}, bad),
              HasErrorCode(ErrorCode::kInvalidArgument));
  const std::vector<LinearModel::Tokens> empty(4, LinearModel::Tokens{""});
  EXPECT_THAT(LinearModel::Train(empty, {0, 1, 0, 1}, 2, {true}, LinearOptions{}),
              HasErrorCode(ErrorCode::kInvalidArgument));
  // No feature is that common: a tiny training set keeps every feature instead.
  LinearOptions rare;
  rare.min_df = 1000;
  auto all = LinearModel::Train(train.docs, train.labels, 3, {true}, rare);
  ASSERT_OK(all);
  EXPECT_GT(all->n_features(), 0u);
}

TEST(LinearModel, NbScaledSvmBeatsChanceAndRoundTrips) {
  const TokenSet train = MakeTokenSet(40, 11);
  const TokenSet test = MakeTokenSet(30, 12);  // unseen texts; 3 labels: chance is 1/3
  LinearOptions o = Options(LinearLoss::kSquaredHinge);
  o.nb_scale = true;
  auto model = LinearModel::Train(train.docs, train.labels, 3, {true}, o);
  ASSERT_OK(model);
  EXPECT_GE(Accuracy(*model, test), 0.9);
  // The scaling is folded into the weights: the plain SVM's weights differ, the image
  // format does not, and a round trip scores identically.
  LinearOptions no_nb = o;
  no_nb.nb_scale = false;
  auto plain = LinearModel::Train(train.docs, train.labels, 3, {true}, no_nb);
  ASSERT_OK(plain);
  EXPECT_NE(plain->Scores(test.docs[0]), model->Scores(test.docs[0]));
  auto loaded = LinearModel::Deserialize(model->Serialize());
  ASSERT_OK(loaded);
  for (const auto& doc : test.docs) {
    EXPECT_EQ(loaded->Scores(doc), model->Scores(doc));
  }
  o.nb_alpha = 0.0;
  EXPECT_THAT(LinearModel::Train(train.docs, train.labels, 3, {true}, o),
              HasErrorCode(ErrorCode::kInvalidArgument));
}

// With class weights, the texts of a small label cost more: its scores rise.
TEST(LinearModel, ClassWeightRaisesTheSmallLabel) {
  TokenSet train = MakeTokenSet(40, 13);
  TokenSet skewed;
  int small = 0;
  for (size_t i = 0; i < train.docs.size(); ++i) {
    if (train.labels[i] == 2 && ++small > 4) {
      continue;  // label 2 keeps 4 texts, the others 40
    }
    skewed.docs.push_back(train.docs[i]);
    skewed.labels.push_back(train.labels[i]);
  }
  LinearOptions o = Options(LinearLoss::kSquaredHinge);
  auto plain = LinearModel::Train(skewed.docs, skewed.labels, 3, {true}, o);
  o.class_weight = 1.0;
  auto weighted = LinearModel::Train(skewed.docs, skewed.labels, 3, {true}, o);
  ASSERT_OK(plain);
  ASSERT_OK(weighted);
  double plain_small = 0.0;
  double weighted_small = 0.0;
  for (const auto& doc : MakeTokenSet(20, 14).docs) {
    plain_small += plain->Scores(doc)[2];
    weighted_small += weighted->Scores(doc)[2];
  }
  EXPECT_GT(weighted_small, plain_small);
  o.class_weight = -1.0;
  EXPECT_THAT(LinearModel::Train(skewed.docs, skewed.labels, 3, {true}, o),
              HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(LinearModel, CorruptBytesAreRefusedWithAClearError) {
  const TokenSet train = MakeTokenSet(10, 7);
  auto model =
      LinearModel::Train(train.docs, train.labels, 3, {true}, Options(LinearLoss::kLogistic));
  ASSERT_OK(model);
  const std::string bytes = model->Serialize();
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x40);
  auto corrupt = LinearModel::Deserialize(flipped);
  EXPECT_THAT(corrupt, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(corrupt.error().message, HasSubstr("linear member"));
  EXPECT_THAT(LinearModel::Deserialize(bytes.substr(0, bytes.size() - 9)),
              HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LinearModel::Deserialize("HLCLSL01"), HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LinearModel::Deserialize(""), HasErrorCode(ErrorCode::kInvalidArgument));
}

// ---- The linear member inside the model file ----

class LinearMemberTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto mixed = FastTextModel::Train(SyntheticCorpus(60, 1), SmallMixedOptions());
    ASSERT_OK(mixed);
    mixed_ = std::move(mixed).value().release();
    TrainOptions alone = SmallMixedOptions();
    alone.feature_sets.clear();
    auto linear = FastTextModel::Train(SyntheticCorpus(60, 1), alone);
    ASSERT_OK(linear);
    linear_only_ = std::move(linear).value().release();
  }
  static void TearDownTestSuite() {
    delete mixed_;
    delete linear_only_;
  }
  static FastTextModel* mixed_;
  static FastTextModel* linear_only_;
};
FastTextModel* LinearMemberTest::mixed_ = nullptr;
FastTextModel* LinearMemberTest::linear_only_ = nullptr;

double ModelAccuracy(const FastTextModel& model) {
  const auto test = SyntheticCorpus(25, 99);  // unseen messages, 4 labels: chance is 0.25
  int right = 0;
  for (const LabelledText& row : test) {
    auto top = model.Predict(row.text, 1);
    EXPECT_OK(top);
    right += top.has_value() && top->front().label == row.label ? 1 : 0;
  }
  return static_cast<double>(right) / static_cast<double>(test.size());
}

TEST_F(LinearMemberTest, AloneAndMixedBeatChanceByAWideMargin) {
  EXPECT_GE(ModelAccuracy(*linear_only_), 0.85);
  EXPECT_GE(ModelAccuracy(*mixed_), 0.85);
  EXPECT_TRUE(mixed_->has_linear());
  EXPECT_DOUBLE_EQ(linear_only_->info().linear_weight, 1.0);
  EXPECT_GE(mixed_->info().linear_weight, 0.0);
  EXPECT_LE(mixed_->info().linear_weight, 1.0);
  auto members = mixed_->Members("医院挂号太难");
  ASSERT_OK(members);
  EXPECT_EQ(members->fasttext.size(), 4u);
  EXPECT_EQ(members->linear.size(), 4u);
  auto p = mixed_->Probabilities("医院挂号太难");
  ASSERT_OK(p);
  EXPECT_NEAR(std::accumulate(p->begin(), p->end(), 0.0), 1.0, 1e-9);
}

TEST_F(LinearMemberTest, SaveAndLoadGiveIdenticalPredictions) {
  for (const FastTextModel* model : {mixed_, linear_only_}) {
    auto bytes = model->Serialize();
    ASSERT_OK(bytes);
    auto loaded = FastTextModel::Deserialize(*bytes);
    ASSERT_OK(loaded);
    EXPECT_TRUE((*loaded)->has_linear());
    EXPECT_DOUBLE_EQ((*loaded)->info().linear_weight, model->info().linear_weight);
    for (const LabelledText& row : SyntheticCorpus(5, 123)) {
      auto before = model->Probabilities(row.text);
      auto after = (*loaded)->Probabilities(row.text);
      ASSERT_OK(before);
      ASSERT_OK(after);
      EXPECT_EQ(*before, *after);
    }
  }
}

TEST_F(LinearMemberTest, CorruptLinearSectionIsRefusedWithAClearError) {
  auto bytes = mixed_->Serialize();
  ASSERT_OK(bytes);
  const size_t at = bytes->rfind("HLCLSL01");
  ASSERT_NE(at, std::string::npos);
  std::string damaged = *bytes;
  damaged[at + 100] = static_cast<char>(damaged[at + 100] ^ 0x01);
  Reseal(damaged);  // the file's checksum passes; the linear member's own must not
  auto loaded = FastTextModel::Deserialize(damaged);
  EXPECT_THAT(loaded, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(loaded.error().message, HasSubstr("linear member"));

  std::string cut = bytes->substr(0, at + 50) + std::string(8, '\0');  // linear cut short
  Reseal(cut);
  EXPECT_THAT(FastTextModel::Deserialize(cut), HasErrorCode(ErrorCode::kInvalidArgument));
}

// The probabilities a model file without a prior correction (format 1 or 2) gives: the
// softmax of the mixed scores at the temperature, no label bias.
std::vector<double> WithoutPriorCorrection(const FastTextModel& model, std::string_view text) {
  auto logits = model.Logits(text);
  EXPECT_OK(logits);
  return SoftmaxWithTemperature(*logits, model.info().temperature);
}

// A format 2 file written before NB scaling, class weights and the prior correction has no
// such header keys: it loads, reads them as off, and predicts exactly as before (the weights
// hold the model; no label bias).
TEST_F(LinearMemberTest, FormatTwoFilesWithoutTheNewOptionsStillLoad) {
  auto bytes = linear_only_->Serialize();
  ASSERT_OK(bytes);
  const std::string old = WithHeader(*bytes, [](nlohmann::json& header) {
    ASSERT_EQ(header.at("format"), 4);
    header["format"] = 2;
    ASSERT_TRUE(header["train"]["linear"].at("nb_scale").get<bool>());
    for (const char* key : {"nb_scale", "nb_alpha", "class_weight"}) {
      header["train"]["linear"].erase(key);
    }
    header["train"].erase("prior_correction");
    header["info"].erase("label_bias");
  });
  auto loaded = FastTextModel::Deserialize(old);
  ASSERT_OK(loaded);
  EXPECT_FALSE((*loaded)->options().linear_options.nb_scale);
  EXPECT_EQ((*loaded)->options().linear_options.class_weight, 0.0);
  EXPECT_EQ((*loaded)->options().prior_correction, 0.0);
  EXPECT_TRUE((*loaded)->info().label_bias.empty());
  for (const LabelledText& row : SyntheticCorpus(5, 321)) {
    auto after = (*loaded)->Probabilities(row.text);
    ASSERT_OK(after);
    EXPECT_EQ(WithoutPriorCorrection(*linear_only_, row.text), *after);
  }
}

// The prior correction favours a small label: the same model (training is deterministic
// with one thread) with and without it, on data where one label has a sixth of the rows.
TEST(LinearMember, PriorCorrectionFavoursSmallLabelsAndSurvivesSaveAndLoad) {
  std::vector<LabelledText> data;
  int small_rows = 0;
  for (const LabelledText& row : SyntheticCorpus(60, 5)) {
    if (row.label == "交通运输" && ++small_rows > 10) {
      continue;
    }
    data.push_back(row);
  }
  TrainOptions plain = SmallMixedOptions();
  plain.feature_sets.clear();
  plain.prior_correction = 0.0;
  TrainOptions corrected = plain;
  corrected.prior_correction = 0.5;
  auto a = FastTextModel::Train(data, plain);
  auto b = FastTextModel::Train(data, corrected);
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_TRUE((*a)->info().label_bias.empty());
  const auto& labels = (*b)->labels();
  const size_t small =
      static_cast<size_t>(std::find(labels.begin(), labels.end(), "交通运输") - labels.begin());
  ASSERT_LT(small, labels.size());
  const std::vector<double>& bias = (*b)->info().label_bias;
  ASSERT_EQ(bias.size(), labels.size());
  for (size_t c = 0; c < labels.size(); ++c) {
    if (c != small) {
      EXPECT_GT(bias[small], bias[c] + 0.5 * std::log(5.0) - 1e-9);  // 60 rows vs 10
    }
  }
  auto bytes = (*b)->Serialize();
  ASSERT_OK(bytes);
  auto loaded = FastTextModel::Deserialize(*bytes);
  ASSERT_OK(loaded);
  EXPECT_EQ((*loaded)->info().label_bias, bias);
  int raised = 0;  // texts whose small-label probability strictly rose (not saturated at 1)
  const auto rows = SyntheticCorpus(5, 77);
  for (const LabelledText& row : rows) {
    auto p_plain = (*a)->Probabilities(row.text);
    auto p_corrected = (*b)->Probabilities(row.text);
    auto p_loaded = (*loaded)->Probabilities(row.text);
    ASSERT_OK(p_plain);
    ASSERT_OK(p_corrected);
    ASSERT_OK(p_loaded);
    EXPECT_GE((*p_corrected)[small], (*p_plain)[small]) << row.text;
    raised += (*p_corrected)[small] > (*p_plain)[small] ? 1 : 0;
    EXPECT_NEAR(std::accumulate(p_corrected->begin(), p_corrected->end(), 0.0), 1.0, 1e-9);
    EXPECT_EQ(*p_corrected, *p_loaded);
  }
  EXPECT_GE(raised, static_cast<int>(rows.size()) / 2);
  // A label bias that does not fit the labels is refused by name.
  const std::string bad = WithHeader(*bytes, [](nlohmann::json& header) {
    header["info"]["label_bias"] = std::vector<double>{0.1, 0.2};
  });
  auto refused = FastTextModel::Deserialize(bad);
  EXPECT_THAT(refused, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(refused.error().message, HasSubstr("label_bias"));
}

// A model file of format 1 (before the linear member) still loads and predicts.
TEST(LinearMember, FormatOneFilesStillLoad) {
  TrainOptions o = SmallMixedOptions();
  o.linear = false;
  auto model = FastTextModel::Train(SyntheticCorpus(30, 1), o);
  ASSERT_OK(model);
  auto bytes = (*model)->Serialize();
  ASSERT_OK(bytes);
  // Rewrite the header as format 1 wrote it: no "linear" options, no mixing fields.
  const std::string old = WithHeader(*bytes, [](nlohmann::json& header) {
    ASSERT_EQ(header.at("format"), 4);
    header["format"] = 1;
    header["train"].erase("linear");
    header["train"].erase("prior_correction");
    header["info"].erase("label_bias");
    header["info"].erase("linear_weight");
    header["info"].erase("linear_scale");
  });
  auto loaded = FastTextModel::Deserialize(old);
  ASSERT_OK(loaded);
  EXPECT_FALSE((*loaded)->has_linear());
  auto after = (*loaded)->Probabilities("医院挂号太难");
  ASSERT_OK(after);
  EXPECT_EQ(WithoutPriorCorrection(**model, "医院挂号太难"), *after);
}

}  // namespace
}  // namespace hotline::adapters::classify

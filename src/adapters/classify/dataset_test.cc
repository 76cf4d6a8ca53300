#include "adapters/classify/dataset.h"

#include <filesystem>
#include <fstream>

#include "testing/matchers.h"

namespace hotline::adapters::classify {
namespace {

using ::hotline::testing::HasErrorCode;

class TsvFile {
 public:
  explicit TsvFile(const std::string& content)
      : path_(std::filesystem::temp_directory_path() /
              ("classify_dataset_test_" +
               std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".tsv")) {
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TsvFile() { std::filesystem::remove(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(ReadLabelledTsv, ReadsColumnsInAnyOrderWithCrlf) {
  TsvFile f("id\ttext\tlabel\r\n1\t路灯坏了\t城乡建设\r\n2\t学费太贵\t教育文体\r\n");
  auto rows = ReadLabelledTsv(f.path());
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].label, "城乡建设");
  EXPECT_EQ((*rows)[0].text, "路灯坏了");
  EXPECT_EQ((*rows)[1].label, "教育文体");
}

TEST(ReadLabelledTsv, MissingFileIsNotFound) {
  EXPECT_THAT(ReadLabelledTsv("/nonexistent/classify.tsv"), HasErrorCode(ErrorCode::kNotFound));
}

TEST(ReadLabelledTsv, BadContentIsInvalidArgument) {
  TsvFile no_text("label\tbody\nA\tx\n");
  EXPECT_THAT(ReadLabelledTsv(no_text.path()), HasErrorCode(ErrorCode::kInvalidArgument));
  TsvFile short_row("label\ttext\nA\n");
  EXPECT_THAT(ReadLabelledTsv(short_row.path()), HasErrorCode(ErrorCode::kInvalidArgument));
  TsvFile header_only("label\ttext\n");
  EXPECT_THAT(ReadLabelledTsv(header_only.path()), HasErrorCode(ErrorCode::kInvalidArgument));
  TsvFile empty("");
  EXPECT_THAT(ReadLabelledTsv(empty.path()), HasErrorCode(ErrorCode::kInvalidArgument));
}

std::vector<LabelledText> Rows(int a, int b) {
  std::vector<LabelledText> rows;
  for (int i = 0; i < a; ++i) {
    rows.push_back({"A", std::to_string(i).append("a")});
  }
  for (int i = 0; i < b; ++i) {
    rows.push_back({"B", std::to_string(i).append("b")});
  }
  return rows;
}

TEST(StratifiedSplit, KeepsLabelSharesAndIsDeterministic) {
  const auto rows = Rows(100, 10);
  const Split s = StratifiedSplit(rows, 0.3, 42);
  EXPECT_EQ(s.test.size(), 33u);  // 30 A + 3 B
  EXPECT_EQ(s.train.size() + s.test.size(), rows.size());
  int b_in_test = 0;
  for (size_t i : s.test) {
    b_in_test += rows[i].label == "B" ? 1 : 0;
  }
  EXPECT_EQ(b_in_test, 3);
  EXPECT_EQ(StratifiedSplit(rows, 0.3, 42).test, s.test);
  EXPECT_NE(StratifiedSplit(rows, 0.3, 43).test, s.test);
}

TEST(StratifiedFolds, SpreadsEveryLabel) {
  const auto rows = Rows(50, 10);
  const std::vector<int> fold = StratifiedFolds(rows, 5, 1);
  for (int f = 0; f < 5; ++f) {
    int a = 0;
    int b = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (fold[i] == f) {
        (rows[i].label == "A" ? a : b) += 1;
      }
    }
    EXPECT_EQ(a, 10);
    EXPECT_EQ(b, 2);
  }
}

TEST(Evaluate, ComputesAccuracyMacroF1AndConfusion) {
  const Evaluation e = Evaluate({"A", "A", "A", "B"}, {"A", "A", "B", "B"});
  EXPECT_EQ(e.n, 4);
  EXPECT_DOUBLE_EQ(e.accuracy, 0.75);
  // A: P 1, R 2/3, F1 0.8; B: P 0.5, R 1, F1 2/3.
  EXPECT_NEAR(e.macro_f1, (0.8 + 2.0 / 3.0) / 2.0, 1e-12);
  EXPECT_EQ(e.confusion[0][1], 1);
  EXPECT_EQ(e.per_class[1].support, 1);
}

}  // namespace
}  // namespace hotline::adapters::classify

#include "adapters/text/evaluation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_set>

#include "testing/matchers.h"

namespace hotline::adapters::text {
namespace {

using ::hotline::testing::HasErrorCode;

using ::testing::HasSubstr;

std::unique_ptr<Tokenizer> MakeTokenizer() {
  auto tokenizer = Tokenizer::CreateDefault();
  HOTLINE_CHECK(tokenizer.has_value(), "default tokenizer");
  return std::move(tokenizer).value();
}

TEST(Tsv, ParsesHeaderRowsAndLineNumbers) {
  auto table = ParseTsv("\xEF\xBB\xBFid\ttext\r\nR1\t物业\n\nR2\t停水\n");
  ASSERT_OK(table);
  EXPECT_EQ(table->header, (std::vector<std::string>{"id", "text"}));
  ASSERT_EQ(table->rows.size(), 2U);
  EXPECT_EQ(table->rows[1][1], "停水");
  EXPECT_EQ(table->line_numbers[1], 4U);
  EXPECT_EQ(table->Column("text"), 1);
  EXPECT_EQ(table->Column("nope"), -1);
}

TEST(Tsv, ReportsBadFilesClearly) {
  const auto ragged = ParseTsv("id\ttext\nR1\ta\tb\n", "docs.tsv");
  ASSERT_FALSE(ragged.has_value());
  EXPECT_THAT(ragged.error().message, HasSubstr("docs.tsv:2"));
  EXPECT_THAT(ParseTsv(""), HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseTsv("justone\n"), HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ReadTsvFile("/nonexistent/file.tsv"), HasErrorCode(ErrorCode::kNotFound));
}

TEST(EvaluateSearch, ScoresASmallCorpus) {
  const auto tokenizer = MakeTokenizer();
  auto docs = ParseTsv(
      "doc_id\t答复意见\n"
      "R1\t关于公积金提取，购房后可申请提取住房公积金。\n"
      "R2\t夜间施工噪音扰民问题，城管部门已责令停工。\n"
      "R3\t小区停水是二次供水设备检修所致，已恢复。\n");
  auto queries = ParseTsv(
      "doc_id\t留言主题\t留言详情\n"
      "R2\t工地晚上施工太吵\t半夜还在施工\n"
      "R3\t小区停水\t停水两天了\n"
      "R9\t公积金\t怎么提取\n");
  ASSERT_OK(docs);
  ASSERT_OK(queries);
  auto report = EvaluateSearch(*tokenizer, *docs, *queries, {});
  ASSERT_OK(report);
  EXPECT_EQ(report->queries, 3U);
  EXPECT_EQ(report->missing_targets, 1U);
  EXPECT_NEAR(report->recall_at_1, 2.0 / 3, 1e-9);
  EXPECT_NEAR(report->mrr_at_10, 2.0 / 3, 1e-9);
}

TEST(EvaluateSearch, WritesEachQuerysCandidatesWithoutChangingTheFigures) {
  const auto tokenizer = MakeTokenizer();
  auto docs = ParseTsv(
      "doc_id\t答复意见\n"
      "R1\t关于公积金提取，购房后可申请提取住房公积金。\n"
      "R2\t夜间施工噪音扰民问题，城管部门已责令停工。\n"
      "R3\t小区停水是二次供水设备检修所致，已恢复。\n"
      "R4\t小区夜间施工的问题已转街道处理。\n");
  auto queries = ParseTsv(
      "doc_id\t留言主题\t留言详情\n"
      "R2\t工地晚上施工太吵\t半夜还在施工\n"
      "R3\t小区停水\t停水两天了\n"
      "R1\t公积金\t怎么提取\n");
  ASSERT_OK(docs);
  ASSERT_OK(queries);
  SearchEvalOptions options;
  options.half = 0;  // rows 0 and 2
  const auto plain = EvaluateSearch(*tokenizer, *docs, *queries, options);
  ASSERT_OK(plain);
  options.candidates_path = ::testing::TempDir() + "eval_candidates.tsv";
  const auto dumped = EvaluateSearch(*tokenizer, *docs, *queries, options);
  ASSERT_OK(dumped);
  EXPECT_EQ(dumped->mrr_at_10, plain->mrr_at_10);
  EXPECT_EQ(dumped->recall_at_10, plain->recall_at_10);
  std::ifstream in(options.candidates_path);
  std::vector<std::vector<std::string>> lines;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::istringstream cells_in(line);
    for (std::string cell; std::getline(cells_in, cell, '\t');) {
      cells.push_back(cell);
    }
    lines.push_back(std::move(cells));
  }
  ASSERT_EQ(lines.size(), 2U);  // the even rows, in row order
  EXPECT_EQ(lines[0][0], "0");
  EXPECT_EQ(lines[0][1], "R2");
  EXPECT_EQ(lines[1][0], "2");
  EXPECT_EQ(lines[1][1], "R1");
  EXPECT_GE(lines[0].size(), 4U);  // R2 and R4 both mention 施工
  // The candidates are best first and give back the reported reciprocal ranks.
  double reciprocal_ranks = 0;
  for (const auto& cells : lines) {
    double previous = std::numeric_limits<double>::max();
    for (size_t c = 2; c < cells.size(); ++c) {
      const size_t colon = cells[c].rfind(':');
      ASSERT_NE(colon, std::string::npos) << cells[c];
      const double score = std::stod(cells[c].substr(colon + 1));
      EXPECT_LE(score, previous);
      previous = score;
      if (cells[c].substr(0, colon) == cells[1]) {
        reciprocal_ranks += 1.0 / static_cast<double>(c - 1);
      }
    }
  }
  EXPECT_NEAR(reciprocal_ranks / 2, plain->mrr_at_10, 1e-9);
  EXPECT_GT(plain->mrr_at_10, 0);
  std::remove(options.candidates_path.c_str());

  options.candidates_path = "/nonexistent/dir/candidates.tsv";
  EXPECT_THAT(EvaluateSearch(*tokenizer, *docs, *queries, options),
              HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(EvaluateSearch, WritesDeeperCandidateListsWhenAsked) {
  const auto tokenizer = MakeTokenizer();
  // 60 replies that all mention 施工, each with its own number: more than the 50 candidates
  // written by default.
  std::string docs_text = "doc_id\t答复意见\n";
  for (int i = 0; i < 60; ++i) {
    docs_text +=
        "R" + std::to_string(i) + "\t第" + std::to_string(i) + "号工地夜间施工，已处理。\n";
  }
  auto docs = ParseTsv(docs_text);
  auto queries = ParseTsv("doc_id\t留言主题\t留言详情\nR7\t工地施工\t晚上施工\n");
  ASSERT_OK(docs);
  ASSERT_OK(queries);
  const auto cells_written = [&](size_t depth) -> size_t {
    SearchEvalOptions options;
    options.candidates_path = ::testing::TempDir() + "eval_depth.tsv";
    options.candidates_depth = depth;
    const auto report = EvaluateSearch(*tokenizer, *docs, *queries, options);
    EXPECT_TRUE(report.has_value());
    std::ifstream in(options.candidates_path);
    std::string line;
    std::getline(in, line);
    std::remove(options.candidates_path.c_str());
    return static_cast<size_t>(std::count(line.begin(), line.end(), '\t')) + 1;
  };
  EXPECT_EQ(cells_written(0), 2 + kSearchCandidates);  // row, expected id, 50 hits
  EXPECT_EQ(cells_written(55), 2U + 55U);
  EXPECT_EQ(cells_written(100), 2U + 60U);              // every document that matches, no more
  EXPECT_EQ(cells_written(10), 2 + kSearchCandidates);  // never fewer than the default
}

TEST(EvaluateSimilar, NamesAMissingColumn) {
  const auto tokenizer = MakeTokenizer();
  auto messages = ParseTsv("留言编号\t留言主题\n1\t物业\n");
  auto clusters = ParseTsv("问题ID\t留言编号\n1\t1\n");
  ASSERT_OK(messages);
  ASSERT_OK(clusters);
  const auto report = EvaluateSimilar(*tokenizer, *messages, *clusters, {});
  ASSERT_FALSE(report.has_value());
  EXPECT_THAT(report.error().message, HasSubstr("留言详情"));
}

TEST(EvaluationParams, RejectsUnknownKeys) {
  SearchEvalOptions options;
  EXPECT_OK(ApplySearchParam("k1", 1.5, &options));
  EXPECT_EQ(options.index.k1, 1.5);
  EXPECT_OK(ApplySearchParam("max_query_terms", 32, &options));
  EXPECT_EQ(options.index.max_query_terms, 32U);
  EXPECT_THAT(ApplySearchParam("nope", 1, &options), HasErrorCode(ErrorCode::kInvalidArgument));
}

// On the real knowledge-base data (kept small for sanitizer builds): the first 300 replies
// and the dev queries that target them.
TEST(EvaluateSearch, SharedKnowledgeBaseSubset) {
  const auto dir = ::hotline::testing::SharedDataDir();
  if (!dir.has_value()) {
    GTEST_SKIP() << "../shared/data not found: skipping the test on real data";
  }
  auto docs = ReadTsvFile((*dir / "kb_replies.tsv").string());
  auto queries = ReadTsvFile((*dir / "kb_queries_dev.tsv").string());
  if (!docs.has_value() || !queries.has_value()) {
    GTEST_SKIP() << "kb_replies.tsv / kb_queries_dev.tsv not readable in ../shared/data";
  }
  constexpr size_t kDocs = 300;
  docs->rows.resize(std::min(kDocs, docs->rows.size()));
  std::unordered_set<std::string> ids;
  for (const auto& row : docs->rows) {
    ids.insert(row[0]);
  }
  TsvTable subset{queries->header, {}, {}};
  for (size_t r = 0; r < queries->rows.size(); ++r) {
    if (ids.count(queries->rows[r][0]) > 0) {
      subset.rows.push_back(queries->rows[r]);
      subset.line_numbers.push_back(queries->line_numbers[r]);
    }
  }
  const auto tokenizer = MakeTokenizer();
  auto report = EvaluateSearch(*tokenizer, *docs, subset, {});
  ASSERT_OK(report);
  EXPECT_GT(report->queries, 100U);
  EXPECT_GT(report->mrr_at_10, 0.7);
  EXPECT_GT(report->recall_at_10, 0.8);
}

}  // namespace
}  // namespace hotline::adapters::text

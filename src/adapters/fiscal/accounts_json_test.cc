#include "adapters/fiscal/accounts_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "adapters/fiscal/loader.h"
#include "domain/fiscal/parser.h"
#include "domain/fiscal/rules.h"
#include "testing/matchers.h"

namespace hotline::adapters::fiscal {
namespace {

namespace df = domain::fiscal;
using hotline::testing::HasErrorCode;

df::Document CleanDocument() {
  auto doc = LoadDisclosure(hotline::testing::SourceDir() / "src" / "domain" / "fiscal" /
                            "testdata" / "clean_2024.txt");
  EXPECT_OK(doc);
  return doc.has_value() ? *doc : df::Document{};
}

TEST(FiscalAccountsJson, RoundTripsTheTablesAndSheets) {
  const df::Document doc = CleanDocument();
  const std::string json = DocumentToJson(doc);
  auto back = DocumentFromJson(json);
  ASSERT_OK(back);
  EXPECT_EQ(DocumentToJson(*back), json);
  EXPECT_EQ(back->t05.rows.size(), doc.t05.rows.size());
  EXPECT_EQ(back->sheets[1].indicators[3].target.comparator, df::Comparator::kLe);
  // Structured accounts have no explanation; the tables and sheets are still consistent.
  EXPECT_TRUE(df::CheckDocument(*back).empty());
}

TEST(FiscalAccountsJson, CheckingImportedAccountsFindsPlantedFaults) {
  df::Document doc = CleanDocument();
  nlohmann::json j = nlohmann::json::parse(DocumentToJson(doc));
  j["tables"]["06"]["personnel"][1]["amount"] = 61.0;  // 30101 基本工资, a number this time
  j["sheets"][0]["indicators"][5]["score"] = nullptr;  // a blank score
  auto back = DocumentFromJson(j.dump());
  ASSERT_OK(back);
  std::set<std::string> rules;
  for (const auto& f : df::CheckDocument(*back)) {
    rules.insert(f.rule);
  }
  EXPECT_TRUE(rules.count("table.hierarchy"));
  EXPECT_TRUE(rules.count("eval.score_missing"));
}

TEST(FiscalAccountsJson, RejectsMalformedInputWithThePath) {
  EXPECT_THAT(DocumentFromJson("{not json"), HasErrorCode(ErrorCode::kInvalidArgument));
  auto bad =
      DocumentFromJson(R"({"tables":{"05":{"rows":[{"code":"201","values":["x","1","2"]}]}}})");
  ASSERT_THAT(bad, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(bad.error().message, ::testing::HasSubstr("$.tables.05.rows[0].values[0]"));
  auto width = DocumentFromJson(R"({"tables":{"05":{"rows":[{"code":"201","values":["1"]}]}}})");
  EXPECT_THAT(width, HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(DocumentFromJson(R"({"year":"2023"})"), HasErrorCode(ErrorCode::kInvalidArgument));
  EXPECT_THAT(DocumentFromJson("[]"), HasErrorCode(ErrorCode::kInvalidArgument));
}

TEST(FiscalAccountsJson, FindingsReportFollowsTheContract) {
  df::Document doc = CleanDocument();
  doc.t06.personnel_total = df::Fixed2::FromInt(170);
  const auto findings = df::CheckDocument(doc);
  const auto j = nlohmann::json::parse(FindingsToJson(findings, doc));
  ASSERT_TRUE(j["findings"].is_array());
  ASSERT_FALSE(j["findings"].empty());
  for (const char* key : {"rule", "severity", "where", "expected", "actual", "message"}) {
    EXPECT_TRUE(j["findings"][0].contains(key)) << key;
  }
  EXPECT_EQ(j["summary"]["errors"].get<int>(), df::Summarize(findings).errors);
  EXPECT_EQ(j["summary"]["tables"].get<int>(), 9);
}

TEST(FiscalAccountsJson, ReadsKpis) {
  auto kpis = KpisFromJson(R"({"connection_rate": 99.6, "seats_on_duty": "34"})");
  ASSERT_OK(kpis);
  EXPECT_EQ(kpis->at(df::Kpi::kConnectionRate).ToString(), "99.60");
  EXPECT_EQ(kpis->at(df::Kpi::kSeatsOnDuty).ToString(), "34.00");
  EXPECT_THAT(KpisFromJson(R"({"speed": 1})"), HasErrorCode(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace hotline::adapters::fiscal

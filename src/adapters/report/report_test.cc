// Assessment and reports on a small SQLite store (report_test_store.h): the scores worked
// out by hand with their evidence, the report's sections and numbers in HTML, and an xlsx
// that libxlsxwriter wrote and the fiscal xlsx reader reads back.
#include <gtest/gtest.h>

#include "adapters/fiscal/xlsx_reader.h"
#include "adapters/report/render.h"
#include "adapters/report/report_test_store.h"
#include "adapters/report/scheme_json.h"
#include "app/report_service.h"

namespace hotline::adapters::report {
namespace {

namespace as = domain::assessment;

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    s_.Open();
    s_.Seed();
  }
  std::function<std::shared_ptr<const app::HotlineConfig>()> Config() {
    return [this] { return s_.service->config(); };
  }
  std::function<Result<as::Scheme>()> Scheme() {
    return [this] { return LoadScheme(*s_.store); };
  }
  static const as::UnitScore* Unit(const app::Assessment& a, const std::string& code) {
    for (const auto& u : a.units) {
      if (u.code == code) return &u;
    }
    return nullptr;
  }
  testing::ReportStore s_;
};

TEST_F(ReportTest, AssessmentScoresRanksAndEvidence) {
  app::AssessmentService service(*s_.store, Config(), Scheme());
  auto a = service.Assess("2024-10");
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->period.to, "2024-10-31");
  const as::UnitScore* housing = Unit(*a, "housing");
  ASSERT_NE(housing, nullptr);
  // Signed on time 1/1 -> 30; replied late 0/1 -> 0; unsatisfied 0/1 -> 0.
  EXPECT_DOUBLE_EQ(housing->base, 30);
  ASSERT_EQ(housing->components[1].kpi.id, "on_time_completion_rate");
  EXPECT_EQ(housing->components[1].kpi.numerator, 0);
  EXPECT_EQ(*housing->components[1].kpi.denominator, 1);
  // One overdue (1 point) and one re-handled (2 points), each with the ticket behind it.
  ASSERT_EQ(housing->deductions.size(), 3u);  // overdue, re-handled, wrongly returned
  EXPECT_EQ(housing->deductions[0].count, 1);
  EXPECT_EQ(housing->deductions[0].tickets, std::vector<std::string>{s_.b});
  EXPECT_EQ(housing->deductions[1].count, 1);
  EXPECT_EQ(housing->deductions[1].tickets, std::vector<std::string>{s_.b});
  EXPECT_DOUBLE_EQ(housing->deducted, 3);
  // Closed first time before the re-handling: +0.05.
  EXPECT_DOUBLE_EQ(housing->bonus, 0.05);
  EXPECT_DOUBLE_EQ(housing->score, 27.05);
  EXPECT_EQ(housing->rank, 1);
  EXPECT_EQ(housing->rank_of, 1);  // the other departments had no orders
  const as::UnitScore* env = Unit(*a, "environment");
  ASSERT_NE(env, nullptr);
  EXPECT_FALSE(env->ranked);
  const as::UnitScore* town = Unit(*a, "chengguan");
  ASSERT_NE(town, nullptr);
  EXPECT_EQ(town->level, as::Level::kTownship);
  EXPECT_DOUBLE_EQ(town->score, 100.05);
  EXPECT_EQ(town->rank, 1);
  EXPECT_EQ(Unit(*a, "centre"), nullptr);  // the centre is not assessed
  // A unit's staff see their own row only; an operator nothing.
  auto own = service.AssessFor(s_.city->Act("housing"), "2024-10");
  ASSERT_TRUE(own.has_value());
  ASSERT_EQ(own->units.size(), 1u);
  EXPECT_EQ(own->units[0].code, "housing");
  EXPECT_FALSE(service.AssessFor(s_.city->Act("op"), "2024-10").has_value());
  EXPECT_FALSE(service.Assess("2024-13").has_value());
}

TEST_F(ReportTest, SchemeFromTheSetting) {
  auto custom = as::Scheme::Default();
  custom.deductions[0].points_each = 5;
  ASSERT_OK(s_.store->PutSetting(kAssessmentSchemeSetting, SchemeJson(custom).dump()));
  app::AssessmentService service(*s_.store, Config(), Scheme());
  auto a = service.Assess("2024Q4");
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_DOUBLE_EQ(Unit(*a, "housing")->deducted, 7);
  ASSERT_OK(s_.store->PutSetting(kAssessmentSchemeSetting, "{\"components\":[]}"));
  EXPECT_FALSE(service.Assess("2024Q4").has_value());
}

TEST_F(ReportTest, MonthlyReportHtmlHasTheSectionsAndNumbers) {
  app::ReportService reports(*s_.store, Config(), Scheme());
  auto d = reports.Build({app::ReportKind::kMonthly, "2024-10-15", std::nullopt, "", ""});
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->from, "2024-10-01");
  EXPECT_EQ(d->to, "2024-10-31");
  EXPECT_EQ(d->prev_from, "2024-09-01");
  EXPECT_EQ(d->prev_to, "2024-09-30");
  ASSERT_FALSE(d->hot_categories.empty());
  EXPECT_EQ(d->hot_categories[0].name, "城乡建设");
  EXPECT_EQ(d->hot_categories[0].count, 2);
  EXPECT_EQ(d->hot_categories[0].before, 1);
  ASSERT_EQ(d->overdue_units.size(), 1u);
  EXPECT_EQ(d->overdue_units[0].name, "三明市住房和城乡建设局");
  EXPECT_EQ(d->cases.size(), 3u);  // supervised, re-handled, unsatisfied: all B
  ASSERT_TRUE(d->assessment.has_value());
  std::string html = RenderReportHtml(*d);
  for (const char* s : {"月报", "2024年10月", "概况", "考核指标", "热点问题", "区域分布",
                        "超期单位", "考核排名", "典型案例", "@media print", "登记量", "按时办结率",
                        "27.05", "+2（+200.0%）", "三明市住房和城乡建设局"}) {
    EXPECT_NE(html.find(s), std::string::npos) << s;
  }
  EXPECT_NE(html.find(s_.b), std::string::npos);
  // on_time_completion_rate: 1 of 2 replied on time.
  EXPECT_NE(html.find("<td>按时办结率</td><td class=\"n\">50.00%</td><td class=\"n\">1</td>"
                      "<td class=\"n\">2</td>"),
            std::string::npos);
}

TEST_F(ReportTest, TextHotTopicsComeFromTheProviderInDailyAndWeeklyReports) {
  app::ReportService reports(*s_.store, Config(), Scheme());
  std::vector<std::string> asked;
  bool fail = false;
  reports.SetHotTopicProvider(
      [&](const std::string& from, const std::string& to,
          std::optional<domain::CategoryId> c) -> Result<std::vector<app::TextHotTopic>> {
        asked.push_back(from + ".." + to + (c ? "#" + std::to_string(c->value()) : ""));
        if (fail) {
          return Unavailable("工单过多");
        }
        return std::vector<app::TextHotTopic>{
            {"相似诉求聚集", "工地 噪音", 6, 0, "同类诉求「工地 噪音」新出现：本期 6 件", {s_.b}}};
      });
  auto daily = reports.Build({app::ReportKind::kDaily, "2024-10-14", std::nullopt, "", ""});
  ASSERT_TRUE(daily.has_value());
  ASSERT_TRUE(daily->text_topics.has_value());
  ASSERT_EQ(daily->text_topics->size(), 1u);
  std::string html = RenderReportHtml(*daily);
  EXPECT_NE(html.find("<h2>热点诉求</h2>"), std::string::npos);
  EXPECT_NE(html.find("同类诉求「工地 噪音」新出现：本期 6 件"), std::string::npos);
  auto weekly = reports.Build({app::ReportKind::kWeekly, "2024-10-16", std::nullopt, "", ""});
  ASSERT_TRUE(weekly.has_value());
  auto monthly = reports.Build({app::ReportKind::kMonthly, "2024-10-16", std::nullopt, "", ""});
  ASSERT_TRUE(monthly.has_value());
  EXPECT_FALSE(monthly->text_topics.has_value());
  EXPECT_EQ(RenderReportHtml(*monthly).find("热点诉求"), std::string::npos);
  EXPECT_EQ(asked, (std::vector<std::string>{"2024-10-14..2024-10-14", "2024-10-14..2024-10-20"}));
  // When they cannot be computed the report still goes out, saying why.
  fail = true;
  daily = reports.Build({app::ReportKind::kDaily, "2024-10-14", std::nullopt, "", ""});
  ASSERT_TRUE(daily.has_value());
  html = RenderReportHtml(*daily);
  EXPECT_NE(html.find("文本热点未生成：工单过多"), std::string::npos);
}

TEST_F(ReportTest, DailyWeeklyAndThemePeriods) {
  app::ReportService reports(*s_.store, Config(), Scheme());
  auto daily = reports.Build({app::ReportKind::kDaily, "2024-10-14", std::nullopt, "", ""});
  ASSERT_TRUE(daily.has_value());
  EXPECT_EQ(daily->prev_from, "2024-10-13");
  EXPECT_FALSE(daily->assessment.has_value());
  EXPECT_EQ(daily->kpis[0].id, "received");
  EXPECT_EQ(daily->kpis[0].numerator, 2);
  auto weekly = reports.Build({app::ReportKind::kWeekly, "2024-10-16", std::nullopt, "", ""});
  ASSERT_TRUE(weekly.has_value());
  EXPECT_EQ(weekly->from, "2024-10-14");  // Monday
  EXPECT_EQ(weekly->to, "2024-10-20");
  EXPECT_EQ(weekly->prev_from, "2024-10-07");
  EXPECT_EQ(weekly->kpis[0].numerator, 3);
  auto cat = s_.city->categories.FindByPath("城乡建设");
  auto theme = reports.Build({app::ReportKind::kTheme, "2024-10-01", cat->id, "", ""});
  ASSERT_TRUE(theme.has_value());
  EXPECT_EQ(theme->kpis[0].numerator, 2);
  EXPECT_NE(RenderReportHtml(*theme).find("专题报告：城乡建设"), std::string::npos);
  EXPECT_FALSE(
      reports.Build({app::ReportKind::kTheme, "2024-10-01", std::nullopt, "", ""}).has_value());
  EXPECT_FALSE(
      reports.Build({app::ReportKind::kDaily, "2024-10-32", std::nullopt, "", ""}).has_value());
  EXPECT_EQ(app::ParseReportKind("weekly"), app::ReportKind::kWeekly);
  EXPECT_FALSE(app::ParseReportKind("yearly").has_value());
}

TEST_F(ReportTest, XlsxOneSheetPerSectionReadsBack) {
  app::ReportService reports(*s_.store, Config(), Scheme());
  auto d = reports.Build({app::ReportKind::kMonthly, "2024-10-15", std::nullopt, "", ""});
  ASSERT_TRUE(d.has_value());
  auto bytes = RenderReportXlsxBytes(*d);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  ASSERT_GT(bytes->size(), 4u);
  EXPECT_EQ(bytes->substr(0, 4), std::string("PK\x03\x04", 4));
  auto wb = fiscal::ReadXlsx(*bytes);
  ASSERT_TRUE(wb.has_value()) << wb.error().message;
  std::vector<std::string> names;
  for (const auto& s : wb->sheets) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"概况", "考核指标", "热点问题", "区域分布", "超期单位",
                                             "考核排名", "典型案例"}));
  const auto& summary = wb->sheets[0];
  EXPECT_EQ(summary.At(2, 0), "项目");
  EXPECT_EQ(summary.At(3, 0), "登记量");
  EXPECT_EQ(summary.At(3, 1), "3");
  EXPECT_EQ(summary.At(3, 2), "1");
  EXPECT_FALSE(RenderReportXlsx(*d, "/nonexistent-dir/x.xlsx").has_value());
}

}  // namespace
}  // namespace hotline::adapters::report

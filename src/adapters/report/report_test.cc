// Assessment and reports on a small SQLite store (report_test_store.h): the scores worked
// out by hand with their evidence, the report's sections and numbers in HTML, and an xlsx
// that libxlsxwriter wrote and the fiscal xlsx reader reads back.
#include <gtest/gtest.h>

#include "adapters/fiscal/xlsx_reader.h"
#include "adapters/report/render.h"
#include "adapters/report/report_test_store.h"
#include "adapters/report/scheme_json.h"
#include "app/programme_service.h"
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

TEST_F(ReportTest, TextHotTopicsComeFromTheProviderInEveryReport) {
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
  ASSERT_TRUE(monthly->text_topics.has_value());
  EXPECT_EQ(monthly->text_topics->size(), 1u);
  EXPECT_NE(RenderReportHtml(*monthly).find("<h2>热点诉求</h2>"), std::string::npos);
  // A thematic report asks within its category.
  auto noise = s_.city->categories.FindByPath("环境保护/污染防治/噪声污染");
  auto theme = reports.Build({app::ReportKind::kTheme, "2024-10-16", noise->id, "", ""});
  ASSERT_TRUE(theme.has_value());
  ASSERT_TRUE(theme->text_topics.has_value());
  EXPECT_NE(RenderReportHtml(*theme).find("同类诉求「工地 噪音」新出现"), std::string::npos);
  EXPECT_EQ(asked, (std::vector<std::string>{
                       "2024-10-14..2024-10-14", "2024-10-14..2024-10-20", "2024-10-01..2024-10-31",
                       "2024-10-01..2024-10-31#" + std::to_string(noise->id.value())}));
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

TEST_F(ReportTest, ACampaignsThematicReport) {
  // A campaign on property management in October: its rule takes A and C (D is September's),
  // and B (noise) is tagged by hand.
  app::ProgrammeService programmes(*s_.store, *s_.store, s_.clock, Config());
  const auto sup = s_.city->Act("sup");
  domain::programmes::Campaign c;
  c.name = "物业服务专项整治";
  c.description = "一季一主题：物业";
  c.from = "2024-10-01";
  c.to = "2024-10-31";
  c.categories = {s_.city->categories.FindByPath("城乡建设/住房保障/物业管理")->id};
  auto created = programmes.CreateCampaign(sup, c);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  ASSERT_TRUE(programmes.TagTickets(sup, created->id, {s_.b}).has_value());

  app::ReportService reports(*s_.store, Config(), Scheme());
  std::vector<std::string> asked;
  reports.SetHotTopicProvider(
      [&](const std::string& from, const std::string& to,
          std::optional<domain::CategoryId> cat) -> Result<std::vector<app::TextHotTopic>> {
        asked.push_back(from + ".." + to + (cat ? "#" + std::to_string(cat->value()) : ""));
        return std::vector<app::TextHotTopic>{};
      });
  app::ReportRequest req{app::ReportKind::kTheme, "", std::nullopt, "", ""};
  req.campaign = created->id;
  req.actor = sup;
  // Without the programme service there is no campaign to report on.
  EXPECT_EQ(reports.Build(req).error().code, ErrorCode::kFailedPrecondition);
  reports.SetProgrammes(&programmes);
  s_.clock.Set(*ParseInstant("2024-12-31 12:00:00"));  // B, re-handled, is long overdue
  auto d = reports.Build(req);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->from, "2024-10-01");  // the campaign's period
  EXPECT_EQ(d->to, "2024-10-31");
  EXPECT_EQ(d->theme, "物业服务专项整治");
  EXPECT_NE(d->title.find("专题报告：物业服务专项整治"), std::string::npos);
  // The KPIs of the three tickets, worked out from the seed: 3 received; A replied on time
  // and satisfied, B replied late and unsatisfied; C only registered.
  auto kpi = [&](const char* id) {
    for (const auto& k : d->kpis) {
      if (k.id == id) return k;
    }
    ADD_FAILURE() << id;
    return domain::kpi::KpiValue{};
  };
  EXPECT_EQ(kpi("received").numerator, 3);
  EXPECT_EQ(kpi("replied").numerator, 2);
  EXPECT_EQ(kpi("on_time_completion_rate").numerator, 1);
  EXPECT_EQ(kpi("on_time_completion_rate").denominator, 2);
  EXPECT_EQ(kpi("satisfaction_rate").numerator, 1);
  EXPECT_EQ(kpi("satisfaction_rate").denominator, 2);
  // The same as the campaign's own indicators; nothing before the campaign.
  auto ind = programmes.Indicators(sup, created->id, "", "");
  ASSERT_TRUE(ind.has_value());
  ASSERT_EQ(ind->kpis.size(), d->kpis.size());
  for (size_t i = 0; i < d->kpis.size(); ++i) {
    EXPECT_EQ(d->kpis[i].numerator, ind->kpis[i].numerator) << d->kpis[i].id;
  }
  EXPECT_EQ(d->previous.at(0).numerator, 0);
  ASSERT_TRUE(d->campaign.has_value());
  EXPECT_EQ(d->campaign->tickets, 3);
  EXPECT_EQ(d->campaign->closed, 1);  // A: callback done
  EXPECT_EQ(d->campaign->open, 2);
  EXPECT_EQ(d->campaign->overdue, 1);  // B owes a reply again, past its new deadline
  ASSERT_EQ(d->overdue_units.size(), 1u);
  EXPECT_EQ(d->overdue_units[0].name, "三明市住房和城乡建设局");
  ASSERT_EQ(d->cases.size(), 1u);
  EXPECT_EQ(d->cases[0].number, s_.b);
  EXPECT_EQ(asked, (std::vector<std::string>{"2024-10-01..2024-10-31#" +
                                             std::to_string(c.categories[0].value())}));
  std::string html = RenderReportHtml(*d);
  for (const char* part : {"<h2>专题概况</h2>", "物业服务专项整治", "一季一主题：物业",
                           "分类：城乡建设/住房保障/物业管理", "<h2>考核指标</h2>",
                           "<h2>超期单位</h2>", "<h2>热点诉求</h2>"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(html.find("<h2>区域分布</h2>"), std::string::npos);  // not a campaign's
  auto bytes = RenderReportXlsxBytes(*d);
  ASSERT_TRUE(bytes.has_value());
  auto wb = fiscal::ReadXlsx(*bytes);
  ASSERT_TRUE(wb.has_value());
  EXPECT_EQ(wb->sheets.at(0).name, "专题概况");

  // An explicit period; errors: both a category and a campaign, a campaign on another kind,
  // an unknown campaign, a role that may not view campaigns.
  req.from = "2024-10-14";
  req.to = "2024-10-14";
  auto day = reports.Build(req);
  ASSERT_TRUE(day.has_value());
  EXPECT_EQ(day->kpis.at(0).numerator, 2);  // A and B registered that day
  req.category = c.categories[0];
  EXPECT_EQ(reports.Build(req).error().code, ErrorCode::kInvalidArgument);
  req.category.reset();
  req.kind = app::ReportKind::kMonthly;
  EXPECT_EQ(reports.Build(req).error().code, ErrorCode::kInvalidArgument);
  req.kind = app::ReportKind::kTheme;
  req.campaign = created->id + 100;
  EXPECT_EQ(reports.Build(req).error().code, ErrorCode::kNotFound);
  req.campaign = created->id;
  req.actor = s_.city->Act("op");
  EXPECT_EQ(reports.Build(req).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(app::ParseReportKind("thematic"), app::ReportKind::kTheme);
}

}  // namespace
}  // namespace hotline::adapters::report

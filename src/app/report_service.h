// ReportService: the daily, weekly, monthly and thematic reports for the city government
// (docs/reports.md): counts and KPIs with numerators and denominators against the previous
// period, the categories rising most (hot topics), the regions, the units with overdue
// orders, the assessment ranking (monthly) and notable cases (supervised, re-handled,
// unsatisfied). Builds the data; adapters/report renders it. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/assessment_service.h"
#include "app/kpi_service.h"
#include "app/programme_service.h"

namespace hotline::app {

enum class ReportKind : uint8_t { kDaily, kWeekly, kMonthly, kTheme };
// daily|weekly|monthly|theme ("thematic" is taken for theme too).
std::optional<ReportKind> ParseReportKind(std::string_view code);
std::string_view Code(ReportKind k);
std::string_view ChineseName(ReportKind k);  // 日报, 周报, 月报, 专题报告

struct ReportRequest {
  ReportKind kind = ReportKind::kDaily;
  std::string date;  // YYYY-MM-DD: the day, a day of the week (Mon-Sun) or of the month
  std::optional<domain::CategoryId> category;  // kTheme: a category or a campaign
  // kTheme only: an explicit period instead of the month of `date`.
  std::string from;
  std::string to;
  // kTheme only: the campaign (programme, docs/programmes.md) the report is about, instead
  // of a category; its period is the campaign's unless from/to are given, `date` unused.
  std::optional<int64_t> campaign = std::nullopt;
  // Who asks: a campaign's report needs the right to view campaigns (ProgrammeService).
  domain::Actor actor = {};
};

// What a campaign's thematic report adds: the campaign and how its tickets stand now.
struct CampaignReport {
  int64_t id = 0;
  std::string name;
  std::string description;
  std::string campaign_from, campaign_to;  // the campaign's own period
  std::string rule;                        // the matching rule in words
  int64_t tickets = 0;                     // members now
  int64_t closed = 0;                      // nothing more owed
  int64_t open = 0;
  int64_t overdue = 0;  // open and past the reply deadline now
};

struct CategoryTrend {
  std::string name;
  int64_t count = 0;   // received in the period
  int64_t before = 0;  // received in the previous period
};

struct UnitOverdue {
  std::string name;
  int64_t overdue = 0;          // auto-urged: found past the reply deadline
  int64_t overdue_replies = 0;  // replied late
  int64_t replied = 0;
};

struct NotableCase {
  std::string kind;  // 督办, 重办, 不满意
  std::string number;
  std::string day;
};

// A hot topic found in the period's ticket texts (clusters of similar reports, recurring
// places, a category rising in an area: docs/hot_topics.md), for the daily and weekly reports.
struct TextHotTopic {
  std::string kind;  // 相似诉求聚集 | 地点反复出现 | 分类区域增长
  std::string label;
  int64_t count = 0;   // reports in the period
  int64_t before = 0;  // reports in the previous period
  std::string explanation;
  std::vector<std::string> numbers;  // example tickets
};

// Finds the text hot topics of the local dates [from, to] (inclusive), within `category`
// when given. Filled by the composition root (the text side lives in adapters/text).
using HotTopicProvider = std::function<Result<std::vector<TextHotTopic>>(
    const std::string& from, const std::string& to, std::optional<domain::CategoryId> category)>;

struct ReportData {
  ReportKind kind = ReportKind::kDaily;
  std::string title;  // 三明市12345热线日报（2024-10-14）
  std::string from, to, prev_from, prev_to;
  std::string theme;  // the category's path (or the campaign's name) for a thematic report
  std::optional<CampaignReport> campaign;  // a campaign's thematic report
  std::vector<domain::kpi::KpiValue> kpis;
  std::vector<domain::kpi::KpiValue> previous;  // same ids and order as kpis
  std::vector<KpiGroupValues> by_region;
  std::vector<KpiGroupValues> by_category;
  std::vector<CategoryTrend> hot_categories;  // rising first
  // Every report, with a HotTopicProvider: the text hot topics, best first, or why there are
  // none (text_topics_note).
  std::optional<std::vector<TextHotTopic>> text_topics;
  std::string text_topics_note;
  std::vector<UnitOverdue> overdue_units;  // most overdue first
  std::optional<Assessment> assessment;    // monthly reports
  std::vector<NotableCase> cases;
};

class ReportService {
 public:
  ReportService(ports::KpiStore& store,
                std::function<std::shared_ptr<const HotlineConfig>()> config,
                std::function<Result<domain::assessment::Scheme>()> scheme)
      : kpis_(store, config),
        assessments_(store, config, std::move(scheme)),
        config_(std::move(config)) {}

  // kInvalidArgument for a bad date or a thematic report without a category or campaign (or
  // with both); for a campaign, kFailedPrecondition when no ProgrammeService is set, and the
  // ProgrammeService's errors (kNotFound, kPermissionDenied for `request.actor`).
  Result<ReportData> Build(const ReportRequest& request) const;

  // Reports then carry the text hot topics. Call before the first Build.
  void SetHotTopicProvider(HotTopicProvider provider) { hot_topics_ = std::move(provider); }
  // Thematic reports can then be made for a campaign (read only: indicators and tickets).
  // Call before the first Build; `programmes` must outlive this service.
  void SetProgrammes(ProgrammeService* programmes) { programmes_ = programmes; }

 private:
  KpiService kpis_;
  AssessmentService assessments_;
  std::function<std::shared_ptr<const HotlineConfig>()> config_;
  HotTopicProvider hot_topics_;
  ProgrammeService* programmes_ = nullptr;

  Result<ReportData> BuildCampaign(const ReportRequest& request) const;
  void AddTextTopics(ReportData& out, std::optional<domain::CategoryId> category) const;
};

}  // namespace hotline::app

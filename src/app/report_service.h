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

namespace hotline::app {

enum class ReportKind : uint8_t { kDaily, kWeekly, kMonthly, kTheme };
std::optional<ReportKind> ParseReportKind(std::string_view code);  // daily|weekly|monthly|theme
std::string_view Code(ReportKind k);
std::string_view ChineseName(ReportKind k);  // 日报, 周报, 月报, 专题报告

struct ReportRequest {
  ReportKind kind = ReportKind::kDaily;
  std::string date;  // YYYY-MM-DD: the day, a day of the week (Mon-Sun) or of the month
  std::optional<domain::CategoryId> category;  // required for kTheme, optional otherwise
  // kTheme only: an explicit period instead of the month of `date`.
  std::string from;
  std::string to;
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
  std::string theme;  // the category's path for a thematic report
  std::vector<domain::kpi::KpiValue> kpis;
  std::vector<domain::kpi::KpiValue> previous;  // same ids and order as kpis
  std::vector<KpiGroupValues> by_region;
  std::vector<KpiGroupValues> by_category;
  std::vector<CategoryTrend> hot_categories;  // rising first
  // Daily and weekly reports with a HotTopicProvider: the text hot topics, best first, or
  // why there are none (text_topics_note).
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

  // kInvalidArgument for a bad date or a thematic report without a category.
  Result<ReportData> Build(const ReportRequest& request) const;

  // Daily and weekly reports then carry the text hot topics. Call before the first Build.
  void SetHotTopicProvider(HotTopicProvider provider) { hot_topics_ = std::move(provider); }

 private:
  KpiService kpis_;
  AssessmentService assessments_;
  std::function<std::shared_ptr<const HotlineConfig>()> config_;
  HotTopicProvider hot_topics_;
};

}  // namespace hotline::app

// Renders a report (app::ReportData) as one printable HTML page (Chinese, inline CSS with
// @media print, no scripts) and as an xlsx workbook (libxlsxwriter, one sheet per
// section). Both are laid out from the same sections (ReportSections). Thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "adapters/render/cell.h"
#include "app/report_service.h"
#include "common/result.h"

namespace hotline::adapters::report {

// A number cell (number set) is right-aligned in HTML and written as a number in xlsx.
using ReportCell = render::Cell;

struct ReportSection {
  std::string title;  // also the sheet name
  std::string note;   // one line under the title ("" for none)
  std::vector<std::string> header;
  std::vector<std::vector<ReportCell>> rows;
};

// 专题概况 (a campaign's report), 概况, 考核指标, 热点问题 (not for a campaign), 热点诉求 (when
// the data has text topics), 区域分布 (not for a campaign), 超期单位, 考核排名 (monthly), 典型案例.
std::vector<ReportSection> ReportSections(const app::ReportData& data);

std::string RenderReportHtml(const app::ReportData& data);

// kInternal with libxlsxwriter's reason when the workbook cannot be written.
Status RenderReportXlsx(const app::ReportData& data, const std::filesystem::path& out);
// The workbook's bytes (written through a temporary file).
Result<std::string> RenderReportXlsxBytes(const app::ReportData& data);

}  // namespace hotline::adapters::report

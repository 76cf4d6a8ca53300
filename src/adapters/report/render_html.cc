#include <fmt/format.h>

#include <cmath>

#include "adapters/render/html.h"
#include "adapters/report/render.h"

namespace hotline::adapters::report {

using domain::kpi::KpiValue;
using render::HtmlEscape;

namespace {

ReportCell Text(std::string s) { return {std::move(s), std::nullopt}; }
ReportCell Int(int64_t v) { return {std::to_string(v), static_cast<double>(v)}; }
ReportCell Dec(double v) {
  double r = std::round(v * 100) / 100;
  return {fmt::format("{:.2f}", r), r};
}

std::string ValueText(const KpiValue& k) {
  if (k.unit == "%") return fmt::format("{:.2f}%", k.value);
  if (k.unit == "工作日") return fmt::format("{:.2f}", k.value);
  return std::to_string(k.numerator);
}

const KpiValue* Find(const std::vector<KpiValue>& kpis, std::string_view id) {
  for (const auto& k : kpis) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

// "+3", "-1.50 个百分点", "—" when there was nothing before.
std::string Change(const KpiValue& now, const KpiValue* before) {
  if (before == nullptr) return "—";
  if (now.unit == "%") {
    if (!before->denominator || *before->denominator == 0) return "—";
    return fmt::format("{:+.2f} 个百分点", now.value - before->value);
  }
  if (now.unit == "工作日") return fmt::format("{:+.2f}", now.value - before->value);
  int64_t d = now.numerator - before->numerator;
  if (before->numerator == 0) return fmt::format("{:+}", d);
  return fmt::format("{:+}（{:+.1f}%）", d,
                     100.0 * static_cast<double>(d) / static_cast<double>(before->numerator));
}

constexpr const char* kStyle =
    R"(body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.6em;text-align:center}h2{font-size:1.2em;margin-top:1.6em;border-left:4px solid #c00;padding-left:.4em}
table{border-collapse:collapse;margin:.5em 0;width:100%}td,th{border:1px solid #999;padding:.25em .5em;font-size:.95em}
th{background:#f2dcdb}td.n{text-align:right;font-variant-numeric:tabular-nums}
.meta{color:#555;text-align:center}.note{color:#444;font-size:.9em}
@media print{body{margin:0;font-size:10.5pt}h1{font-size:16pt}h2{font-size:12pt;break-after:avoid}
table{page-break-inside:auto}tr{page-break-inside:avoid}thead{display:table-header-group}
section{break-inside:avoid-page}.noprint{display:none}@page{size:A4;margin:18mm 15mm}})";

}  // namespace

std::vector<ReportSection> ReportSections(const app::ReportData& d) {
  std::vector<ReportSection> out;
  if (d.campaign) {
    const app::CampaignReport& c = *d.campaign;
    ReportSection s;
    s.title = "专题概况";
    s.note =
        "专题工单的考核指标即这些工单的指标（定义见 docs/kpi.md、docs/programmes.md）；"
        "办理情况为出报告时的状态";
    s.header = {"项目", "内容"};
    s.rows.push_back({Text("专题"), Text(c.name)});
    if (!c.description.empty()) {
      s.rows.push_back({Text("说明"), Text(c.description)});
    }
    s.rows.push_back({Text("专题期间"), Text(c.campaign_from + " 至 " + c.campaign_to)});
    s.rows.push_back({Text("匹配规则"), Text(c.rule)});
    s.rows.push_back({Text("专题工单"), Int(c.tickets)});
    s.rows.push_back({Text("已办结"), Int(c.closed)});
    s.rows.push_back({Text("未办结"), Int(c.open)});
    s.rows.push_back({Text("其中超期"), Int(c.overdue)});
    out.push_back(std::move(s));
  }
  {
    ReportSection s;
    s.title = "概况";
    s.note = fmt::format("本期 {} 至 {}；上期 {} 至 {}", d.from, d.to, d.prev_from, d.prev_to);
    s.header = {"项目", "本期", "上期", "增减"};
    for (const char* id : {"received", "dispatched", "replied", "overdue", "overdue_replies",
                           "supervised", "urged", "returns", "rejected"}) {
      const KpiValue* k = Find(d.kpis, id);
      if (k == nullptr) continue;
      const KpiValue* b = Find(d.previous, id);
      s.rows.push_back({Text(k->name), Int(k->numerator), Int(b != nullptr ? b->numerator : 0),
                        Text(Change(*k, b))});
    }
    out.push_back(std::move(s));
  }
  {
    ReportSection s;
    s.title = "考核指标";
    s.note = "指标定义见 docs/kpi.md；比率 = 分子 / 分母";
    s.header = {"指标", "本期", "分子", "分母", "上期", "增减"};
    for (const auto& k : d.kpis) {
      const KpiValue* b = Find(d.previous, k.id);
      ReportCell value = k.unit == "%" || k.unit == "工作日"
                             ? ReportCell{ValueText(k), std::round(k.value * 100) / 100}
                             : Int(k.numerator);
      s.rows.push_back({Text(k.name), value, Int(k.numerator),
                        k.denominator ? Int(*k.denominator) : Text(""),
                        Text(b != nullptr ? ValueText(*b) : ""), Text(Change(k, b))});
    }
    out.push_back(std::move(s));
  }
  if (!d.campaign) {
    ReportSection s;
    s.title = "热点问题";
    s.note = "按诉求分类统计登记量，增长最多的在前";
    s.header = {"分类", "本期", "上期", "增减"};
    for (const auto& h : d.hot_categories) {
      s.rows.push_back({Text(h.name), Int(h.count), Int(h.before),
                        Text(fmt::format("{:+}", h.count - h.before))});
    }
    out.push_back(std::move(s));
  }
  if (d.text_topics) {
    ReportSection s;
    s.title = "热点诉求";
    s.note = d.text_topics_note.empty()
                 ? "由工单文本发现：相似诉求聚集、地点反复出现、分类在区域内明显增长（见 "
                   "docs/hot_topics.md）"
                 : d.text_topics_note;
    s.header = {"序号", "类型", "热点", "本期", "上期", "说明"};
    for (size_t i = 0; i < d.text_topics->size(); ++i) {
      const auto& t = (*d.text_topics)[i];
      s.rows.push_back({Int(static_cast<int64_t>(i + 1)), Text(t.kind), Text(t.label), Int(t.count),
                        Int(t.before), Text(t.explanation)});
    }
    out.push_back(std::move(s));
  }
  if (!d.campaign) {
    ReportSection s;
    s.title = "区域分布";
    s.header = {"区域", "登记量", "答复量", "按时办结率", "满意率"};
    for (const auto& g : d.by_region) {
      const KpiValue* r = Find(g.kpis, "received");
      const KpiValue* rep = Find(g.kpis, "replied");
      const KpiValue* on = Find(g.kpis, "on_time_completion_rate");
      const KpiValue* sat = Find(g.kpis, "satisfaction_rate");
      s.rows.push_back({Text(g.name), Int(r ? r->numerator : 0), Int(rep ? rep->numerator : 0),
                        Text(on ? ValueText(*on) : ""), Text(sat ? ValueText(*sat) : "")});
    }
    out.push_back(std::move(s));
  }
  {
    ReportSection s;
    s.title = "超期单位";
    s.note = d.campaign ? "专题工单中现已超过答复时限而未办结的，按承办单位"
                        : "超期件：时限任务发现已过答复时限并自动催办的工单";
    s.header = {"单位", "超期件", "超期答复", "答复量"};
    for (const auto& u : d.overdue_units) {
      s.rows.push_back({Text(u.name), Int(u.overdue), Int(u.overdue_replies), Int(u.replied)});
    }
    out.push_back(std::move(s));
  }
  if (d.assessment) {
    ReportSection s;
    s.title = "考核排名";
    s.note = fmt::format("{}（{}），按层级分别排名；方案与扣分依据见 hotline assess",
                         d.assessment->scheme.name, d.assessment->period.label);
    s.header = {"层级", "排名", "单位", "得分", "基础分", "扣分", "加分", "派单量"};
    for (const auto& u : d.assessment->units) {
      s.rows.push_back({Text(std::string(domain::assessment::ChineseName(u.level))),
                        u.ranked ? Int(u.rank) : Text("不参与排名"), Text(u.name), Dec(u.score),
                        Dec(u.base), Dec(u.deducted), Dec(u.bonus), Int(u.dispatched)});
    }
    out.push_back(std::move(s));
  }
  {
    ReportSection s;
    s.title = "典型案例";
    s.note = d.campaign ? "专题工单中超期未办结的（日期为答复时限）"
                        : "本期督办、重办和回访不满意的工单";
    s.header = {"类别", "工单编号", "日期"};
    for (const auto& c : d.cases) {
      s.rows.push_back({Text(c.kind), Text(c.number), Text(c.day)});
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string RenderReportHtml(const app::ReportData& d) {
  std::string html = render::HtmlPageStart(d.title, kStyle);
  html += "<p class=\"meta\">统计期间：" + HtmlEscape(d.from) + " 至 " + HtmlEscape(d.to) +
          (d.theme.empty() ? "" : "　专题：" + HtmlEscape(d.theme)) + "</p>\n";
  for (const ReportSection& s : ReportSections(d)) {
    html += "<section><h2>" + HtmlEscape(s.title) + "</h2>\n";
    if (!s.note.empty()) {
      html += "<p class=\"note\">" + HtmlEscape(s.note) + "</p>\n";
    }
    if (s.rows.empty()) {
      html += "<p>本期无。</p></section>\n";
      continue;
    }
    html += "<table><thead>" + render::HtmlHeaderRow(s.header) + "</thead><tbody>\n";
    for (const auto& row : s.rows) {
      html += render::HtmlRow(row);
    }
    html += "</tbody></table></section>\n";
  }
  html += render::kHtmlPageEnd;
  return html;
}

}  // namespace hotline::adapters::report

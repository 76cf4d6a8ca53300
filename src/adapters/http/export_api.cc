#include "adapters/http/export_api.h"

#include <xlsxwriter.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "adapters/http/api_support.h"
#include "adapters/http/core_api.h"
#include "adapters/http/http_server.h"
#include "adapters/render/xlsx.h"
#include "domain/privacy.h"

namespace hotline::adapters::http {

using nlohmann::json;

namespace {

struct Column {
  const char* key;    // field of the ticket's display JSON
  const char* title;  // the column's heading
  double width;
};

constexpr Column kColumns[] = {
    {"number", "工单编号", 20},
    {"created_at_local", "登记时间", 18},
    {"type_name", "诉求类型", 9},
    {"urgency_name", "紧急程度", 9},
    {"channel_name", "来源渠道", 9},
    {"state_name", "状态", 10},
    {"category_path", "诉求分类", 28},
    {"region_name", "区域", 16},
    {"address", "地址", 24},
    {"title", "标题", 24},
    {"content", "诉求内容", 48},
    {"citizen_name", "诉求人", 10},
    {"citizen_phone", "联系电话", 14},
    {"lead_unit_name", "主办单位", 20},
    {"reply_deadline_local", "答复期限", 18},
    {"overdue", "是否超期", 9},
    {"satisfaction_name", "满意度", 10},
    {"reply", "答复内容", 48},
};

std::string Cell(const json& t, const char* key) {
  auto it = t.find(key);
  if (it == t.end() || it->is_null()) {
    return "";
  }
  if (it->is_boolean()) {
    return it->get<bool>() ? "是" : "否";
  }
  if (it->is_string()) {
    return it->get<std::string>();
  }
  return it->dump();
}

// Writes the workbook of `rows` to `path`.
Status WriteWorkbook(const std::vector<json>& rows, const std::string& title,
                     const std::filesystem::path& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) {
    return Internal("无法创建 Excel 文件");
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb, "工单");
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDEBF7);
  format_set_border(head, LXW_BORDER_THIN);
  lxw_format* wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  lxw_col_t col = 0;
  for (const Column& c : kColumns) {
    worksheet_set_column(ws, col, col, c.width, wrap);
    worksheet_write_string(ws, 0, col, c.title, head);
    ++col;
  }
  worksheet_freeze_panes(ws, 1, 1);
  lxw_row_t row = 1;
  for (const json& t : rows) {
    col = 0;
    for (const Column& c : kColumns) {
      worksheet_write_string(ws, row, col++, Cell(t, c.key).c_str(), nullptr);
    }
    ++row;
  }
  if (!rows.empty()) {
    worksheet_autofilter(ws, 0, 0, row - 1, static_cast<lxw_col_t>(std::size(kColumns) - 1));
  }
  // libxlsxwriter takes char*, and copies the strings.
  std::string title_text = title;
  std::string company = "12345 政务服务便民热线";
  lxw_doc_properties props{};
  props.title = title_text.data();
  props.company = company.data();
  workbook_set_properties(wb, &props);
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    return Internal(std::string("写 Excel 文件失败: ") + lxw_strerror(err));
  }
  return OkStatus();
}

// The workbook's bytes (libxlsxwriter writes files).
Result<std::string> Workbook(const std::vector<json>& rows, const std::string& title) {
  return render::XlsxBytes(
      [&](const std::filesystem::path& path) { return WriteWorkbook(rows, title, path); });
}

}  // namespace

std::vector<RouteDoc> ExportApi::Routes() const {
  return {
      {"get", "/api/v1/tickets.xlsx",
       "工单列表导出为 Excel（过滤条件同 /api/v1/tickets，按数据范围与脱敏规则，最多 20000 行）",
       true}};
}

std::optional<HttpResponse> ExportApi::Handle(RequestContext& ctx) {
  if (!ctx.Is("GET", {"tickets.xlsx"})) {
    return std::nullopt;
  }
  ports::TicketFilter f;
  if (auto bad = TicketFilterFromQuery(ctx, f)) {
    return std::move(*bad);
  }
  f.limit = 500;
  std::vector<json> rows;
  std::string personal;
  while (static_cast<int>(rows.size()) < kMaxRows) {
    auto page = service_.List(f);
    if (!page.has_value()) {
      return FromError(page.error());
    }
    for (const auto& t : *page) {
      if (domain::MayView(ctx.actor, t, ctx.config->org) &&
          static_cast<int>(rows.size()) < kMaxRows) {
        rows.push_back(TicketJson(t, ctx.actor, *ctx.config, ctx.now));
        if (ReadsPersonalData(ctx.actor, t)) {
          personal += (personal.empty() ? "" : ",") + t.number;
        }
      }
    }
    if (static_cast<int>(page->size()) < f.limit) {
      break;
    }
    f.after_id = page->back().id.value();
  }
  if (!personal.empty()) {
    ctx.audit("personal_data.read", "export", personal);
  }
  auto bytes = Workbook(rows, "工单导出");
  if (!bytes.has_value()) {
    return FromError(bytes.error());
  }
  HttpResponse r;
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.body = std::move(*bytes);
  r.headers.emplace_back(
      "Content-Disposition",
      "attachment; filename=\"tickets.xlsx\"; filename*=UTF-8''%E5%B7%A5%E5%8D%95.xlsx");
  r.headers.emplace_back("X-Rows", std::to_string(rows.size()));
  return r;
}

}  // namespace hotline::adapters::http

// Structured accounts read from an xlsx workbook laid out as `hotline fiscal render
// --formats xlsx` writes it (see docs/fiscal.md, "Structured accounts in xlsx"): one
// worksheet per public table (row 2 starts with 公开NN表), "说明数据" for last year's
// figures, one worksheet per self-evaluation sheet (A1 项目支出绩效自评表). The cells are
// mapped onto the structured-accounts JSON and read by DocumentFromJson, so both forms
// give the same Document. Thread-safe (pure functions).
#pragma once

#include <string_view>

#include "adapters/fiscal/xlsx_reader.h"
#include "common/result.h"
#include "domain/fiscal/document.h"

namespace hotline::adapters::fiscal {

// kInvalidArgument for an unreadable workbook, a workbook without any table or sheet, or a
// cell that does not fit (the message names the sheet and cell: "公开01表 B7: 不是金额").
Result<domain::fiscal::Document> DocumentFromXlsx(std::string_view bytes);
Result<domain::fiscal::Document> DocumentFromWorkbook(const XlsxWorkbook& workbook);

}  // namespace hotline::adapters::fiscal

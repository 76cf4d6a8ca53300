// Renders a disclosure (the nine tables, the explanation's figures and text, the
// self-evaluation sheets) to xlsx (libxlsxwriter) and to a self-contained HTML page.
// Thread-safe (no shared state).
#pragma once

#include <filesystem>
#include <string>

#include "common/result.h"
#include "domain/fiscal/document.h"

namespace hotline::adapters::fiscal {

// One worksheet per table, figures and sheet. kInternal when the workbook cannot be
// written (the message carries libxlsxwriter's reason).
Status RenderXlsx(const domain::fiscal::Document& doc, const std::filesystem::path& out);

// The whole disclosure as one HTML page (UTF-8, inline CSS, no scripts).
std::string RenderHtml(const domain::fiscal::Document& doc);

}  // namespace hotline::adapters::fiscal

// Text of a PDF disclosure through `pdftotext -layout` (Debian poppler-utils), with the
// layout's column gaps turned into tabs so that the text parser sees the same cells as
// in the seed's text form. Runs a child process; thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hotline::adapters::fiscal {

// True when pdftotext can be run.
bool PdfToTextAvailable();

// kUnavailable when pdftotext is absent; kInvalidArgument when it cannot read the file.
Result<std::string> ExtractPdfText(const std::filesystem::path& pdf);

// Turns the column gaps of `pdftotext -layout` output (runs of two or more spaces, or an
// ideographic space next to a space) into tabs and drops form feeds. Single spaces, as
// inside "三明市 12345 政务…" or "402. 64", stay.
std::string LayoutToTabs(std::string_view layout_text);

}  // namespace hotline::adapters::fiscal

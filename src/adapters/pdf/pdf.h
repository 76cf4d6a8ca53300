// HTML → PDF through Debian's chromium in headless mode (`--print-to-pdf`). The reports and the
// final-accounts documents are already rendered as self-contained HTML with print styles; a
// browser's print engine is the one Debian tool that lays out CJK text, tables and page breaks
// the way the HTML view shows them, so the PDF is what a user would get from "print to PDF".
//
// The browser runs as a child process with a fresh temporary profile, no sandbox (CI runs as
// root) and a time limit; its output file is checked to be a PDF before it is moved into place,
// so a failed run never leaves a half-written file at the destination.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hotline::adapters::pdf {

struct PdfOptions {
  // The browser: empty = $HOTLINE_CHROMIUM, else the first of chromium, chromium-browser,
  // google-chrome found on PATH.
  std::string browser;
  std::chrono::seconds timeout{90};
};

// The browser that would be used, or kUnavailable with an install hint.
Result<std::string> FindBrowser(const PdfOptions& options = {});

// Renders `html` (a complete document, UTF-8) to a PDF file at `out_path` (replaced atomically).
// kUnavailable when no browser is installed, kInternal when it fails or times out.
Status HtmlToPdf(std::string_view html, const std::string& out_path,
                 const PdfOptions& options = {});

// Same, returning the PDF bytes (for HTTP responses).
Result<std::string> HtmlToPdfBytes(std::string_view html, const PdfOptions& options = {});

}  // namespace hotline::adapters::pdf

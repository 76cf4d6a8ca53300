// Loads a disclosure from a file by its extension: .txt (the text form), .pdf (through
// pdftotext), .json or .xlsx (structured accounts). Thread-safe.
#pragma once

#include <filesystem>

#include "common/result.h"
#include "domain/fiscal/document.h"

namespace hotline::adapters::fiscal {

// kNotFound when the file cannot be opened; kUnavailable when a .pdf needs pdftotext and
// it is absent; kInvalidArgument for malformed JSON or xlsx or an unknown extension.
Result<domain::fiscal::Document> LoadDisclosure(const std::filesystem::path& path);

// The raw bytes of a file; kNotFound when it cannot be read.
Result<std::string> ReadFile(const std::filesystem::path& path);

}  // namespace hotline::adapters::fiscal

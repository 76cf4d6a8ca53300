#include "testing/matchers.h"

#include <cstdlib>

namespace hotline::testing {

std::filesystem::path SourceDir() {
  if (const char* dir = std::getenv("HOTLINE_SOURCE_DIR")) {
    return dir;
  }
  return std::filesystem::current_path();
}

std::optional<std::filesystem::path> SharedDataDir() {
  if (const char* dir = std::getenv("HOTLINE_SHARED_DATA")) {
    if (std::filesystem::is_directory(dir)) {
      return std::filesystem::path(dir);
    }
  }
  auto candidate = SourceDir() / ".." / "shared" / "data";
  if (std::filesystem::is_directory(candidate)) {
    return std::filesystem::canonical(candidate);
  }
  return std::nullopt;
}

}  // namespace hotline::testing

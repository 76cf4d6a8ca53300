#include "adapters/http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/http/http_server.h"

namespace hotline::adapters::http {
namespace {

namespace fs = std::filesystem;

std::string ContentType(const std::string& ext) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
  };
  for (const auto& [e, type] : kTypes) {
    if (ext == e) {
      return type;
    }
  }
  return "application/octet-stream";
}

bool ReadWhole(const fs::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

}  // namespace

HttpResponse ServeStatic(const std::string& root, const std::string& path) {
  if (path.find("..") != std::string::npos || path.find('\0') != std::string::npos ||
      path.find('\\') != std::string::npos || path.empty() || path[0] != '/') {
    return ErrorResponse(400, "invalid_argument", "非法路径");
  }
  fs::path base(root);
  fs::path file = base / path.substr(1);
  std::error_code ec;
  if (path == "/" || fs::is_directory(file, ec)) {
    file = base / "index.html";
  }
  HttpResponse r;
  bool found = fs::is_regular_file(file, ec) && ReadWhole(file, &r.body);
  if (!found) {
    // The router's paths have no extension; a missing asset is a real 404.
    if (fs::path(path).has_extension() || !ReadWhole(base / "index.html", &r.body)) {
      return ErrorResponse(404, "not_found", "文件不存在: " + path);
    }
    file = base / "index.html";
  }
  r.content_type = ContentType(file.extension().string());
  // Vite names assets by content hash, so they never change; index.html always may.
  bool immutable = path.rfind("/assets/", 0) == 0;
  r.headers.emplace_back("Cache-Control",
                         immutable ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace hotline::adapters::http

#include "cli/common.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli/commands.h"

namespace hotline::cli {

namespace fs = std::filesystem;

#ifndef HOTLINE_SOURCE_DATA_DIR
#define HOTLINE_SOURCE_DATA_DIR "data"
#endif

fs::path DataDir() {
  if (const char* env = std::getenv("HOTLINE_DATA_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  fs::path built_from(HOTLINE_SOURCE_DATA_DIR);
  if (fs::is_directory(built_from)) {
    return built_from;
  }
  return "data";
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return NotFound("无法读取文件: " + path.string());
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string DefaultCalendarText() {
  if (const char* env = std::getenv("HOTLINE_CALENDAR"); env != nullptr && *env != '\0') {
    auto text = ReadFile(env);
    if (text.has_value()) {
      return *text;
    }
  }
  auto text = ReadFile(DataDir() / "calendar" / "cn.txt");
  return text.has_value() ? *text : std::string();
}

void Fail(const Error& error, int code) { Fail(error.message, code); }

void Fail(const std::string& message, int code) {
  std::fprintf(stderr, "hotline: %s\n", message.c_str());
  ExitCode() = code;
}

Result<Session> OpenSession(const std::string& path, bool durable) {
  Session s;
  adapters::sqlite::SqliteOptions options;
  options.path = path;
  options.create = false;
  options.durable = durable;
  HOTLINE_ASSIGN_OR_RETURN(s.store, adapters::sqlite::SqliteStore::Open(options));
  HOTLINE_ASSIGN_OR_RETURN(auto config, app::LoadConfig(*s.store, DefaultCalendarText()));
  s.config = std::make_shared<const app::HotlineConfig>(std::move(config));
  s.clock = std::make_unique<ports::SystemClock>();
  s.service = std::make_unique<app::TicketService>(*s.store, *s.clock, s.config);
  return s;
}

}  // namespace hotline::cli

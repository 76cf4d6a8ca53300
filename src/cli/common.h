// Helpers shared by the CLI commands: opening the store with its configuration, finding
// the shipped data files, printing errors the same way everywhere.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "adapters/sqlite/sqlite_store.h"
#include "app/ticket_service.h"
#include "common/result.h"

namespace hotline::cli {

// The project's data folder (data/calendar/cn.txt, data/demo/...): $HOTLINE_DATA_DIR, else
// `data` beside the source tree the binary was built from, else ./data.
std::filesystem::path DataDir();
Result<std::string> ReadFile(const std::filesystem::path& path);
// The shipped calendar's text ("" if none is found; the plain-weeks calendar is used then).
std::string DefaultCalendarText();

// Prints "hotline: <message>" to stderr and sets the exit code (1 unless given).
void Fail(const Error& error, int code = 1);
void Fail(const std::string& message, int code = 1);

// An opened store with its configuration and the ticket service over it.
struct Session {
  std::unique_ptr<adapters::sqlite::SqliteStore> store;
  std::shared_ptr<const app::HotlineConfig> config;
  std::unique_ptr<ports::Clock> clock;
  std::unique_ptr<app::TicketService> service;
};

// Opens an existing store (kNotFound with a hint when it does not exist).
Result<Session> OpenSession(const std::string& path, bool durable = true);

}  // namespace hotline::cli

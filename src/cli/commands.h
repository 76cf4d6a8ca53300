// Registration of the `hotline` subcommands. Each module of the CLI owns one
// Register*Commands function in its own file; main.cc calls them all. Handlers run
// after parsing; a handler reports failure by returning a non-zero exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace hotline::cli {

// Where a subcommand's handler stores its exit code (set by the callbacks).
int& ExitCode();

void RegisterTicketCommands(CLI::App& app);    // ticket create|show|list|act
void RegisterStoreCommands(CLI::App& app);     // store init|rebuild|summary|verify
void RegisterDemoCommands(CLI::App& app);      // demo
void RegisterCalendarCommands(CLI::App& app);  // calendar ...
void RegisterFiscalCommands(CLI::App& app);    // fiscal check|render|score
void RegisterEvalCommands(CLI::App& app);      // eval search|similar
void RegisterClassifyCommands(CLI::App& app);  // classify train|eval|predict
void RegisterKbCommands(CLI::App& app);
void RegisterServeCommands(CLI::App& app);    // serve
void RegisterApiKeyCommands(CLI::App& app);   // apikey create|list|revoke
void RegisterAuditCommands(CLI::App& app);    // audit verify|list
void RegisterKpiCommands(CLI::App& app);      // jobs run, kpi [rebuild]
void RegisterRoutingCommands(CLI::App& app);  // routing check|list|history|add|remove
void RegisterReportCommands(CLI::App& app);   // report, assess [scheme]

// telephony import
void RegisterTelephonyCommands(CLI::App& app);

// programme campaign|leader-day|difficult|qa ...
void RegisterProgrammeCommands(CLI::App& app);

// hot-topics
void RegisterHotTopicCommands(CLI::App& app);

}  // namespace hotline::cli

// `hotline`: the command-line entry point and the composition root (the only code that
// names concrete adapters).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"

namespace hotline::cli {

int& ExitCode() {
  static int code = 0;
  return code;
}

}  // namespace hotline::cli

int main(int argc, char** argv) {
  CLI::App app{"hotline: the 12345 government service hotline platform (12345政务服务便民热线)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "hotline 0.1.0");
  hotline::cli::RegisterStoreCommands(app);
  hotline::cli::RegisterTicketCommands(app);
  hotline::cli::RegisterDemoCommands(app);
  hotline::cli::RegisterCalendarCommands(app);
  hotline::cli::RegisterFiscalCommands(app);
  hotline::cli::RegisterEvalCommands(app);
  hotline::cli::RegisterClassifyCommands(app);
  hotline::cli::RegisterKbCommands(app);
  hotline::cli::RegisterServeCommands(app);
  hotline::cli::RegisterApiKeyCommands(app);
  hotline::cli::RegisterAuditCommands(app);
  hotline::cli::RegisterRoutingCommands(app);
  hotline::cli::RegisterKpiCommands(app);
  hotline::cli::RegisterTelephonyCommands(app);
  hotline::cli::RegisterReportCommands(app);
  hotline::cli::RegisterProgrammeCommands(app);
  hotline::cli::RegisterHotTopicCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hotline: %s\n", e.what());
    return 1;
  }
  return hotline::cli::ExitCode();
}

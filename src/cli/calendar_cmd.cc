#include "cli/commands.h"

namespace hotline::cli {

void RegisterCalendarCommands(CLI::App& /*app*/) {}

}  // namespace hotline::cli

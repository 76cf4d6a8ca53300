#include "cli/commands.h"

namespace hotline::cli {

void RegisterTicketCommands(CLI::App& /*app*/) {}

}  // namespace hotline::cli

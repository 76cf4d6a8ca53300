#include "cli/commands.h"

namespace hotline::cli {

void RegisterDemoCommands(CLI::App& /*app*/) {}

}  // namespace hotline::cli

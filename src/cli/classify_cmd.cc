#include "cli/commands.h"

namespace hotline::cli {

void RegisterClassifyCommands(CLI::App& /*app*/) {}

}  // namespace hotline::cli

#include "cli/commands.h"

namespace hotline::cli {

void RegisterStoreCommands(CLI::App& /*app*/) {}

}  // namespace hotline::cli

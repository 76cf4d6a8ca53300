#include "cli/commands.h"

namespace hotline::cli {

void RegisterEvalCommands(CLI::App& /*app*/) {}

}  // namespace hotline::cli

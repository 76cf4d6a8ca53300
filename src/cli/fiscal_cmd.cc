#include "cli/commands.h"

namespace hotline::cli {

void RegisterFiscalCommands(CLI::App& /*app*/) {}

}  // namespace hotline::cli

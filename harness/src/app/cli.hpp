#pragma once

namespace cibench {

// Parses the command line, runs the command, and maps errors to exit status 2.
int cli_main(int argc, char** argv);

} // namespace cibench

#pragma once
// Finding Valgrind and building its command line for Cachegrind.
#include "config/config.hpp"
#include "util/file_names.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cibench {

struct Valgrind {
  std::filesystem::path executable;
  std::string version; // "valgrind-3.19.0"
};

// Finds valgrind on PATH and asks its version. Throws Error with the command that installs it.
Valgrind find_valgrind();

// valgrind --tool=TOOL with cache simulation stated explicitly (3.21 changed Cachegrind's default)
// and the geometry pinned, writing the profile and Valgrind's log to `files`, then `program_argv`.
// `region_only`: Callgrind counts nothing until the workload's CALLGRIND_START_INSTRUMENTATION.
std::vector<std::string> valgrind_argv(const Valgrind& valgrind, Tool tool, const ValgrindSettings& settings,
                                       const RunFiles& files, bool region_only,
                                       const std::vector<std::string>& program_argv);

// The events the profile must carry for these settings.
std::vector<std::string> expected_events(const ValgrindSettings& settings);

} // namespace cibench

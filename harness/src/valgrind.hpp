#pragma once
// Finding Valgrind and building its command line for Cachegrind.
#include "config.hpp"
#include "file_names.hpp"

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

// valgrind --tool=cachegrind with cache simulation stated explicitly (3.21 changed its default)
// and the geometry pinned, writing the profile and Valgrind's log to `files`, then `program_argv`.
std::vector<std::string> cachegrind_argv(const Valgrind& valgrind, const ValgrindSettings& settings,
                                         const RunFiles& files, const std::vector<std::string>& program_argv);

// The events the profile must carry for these settings.
std::vector<std::string> expected_events(const ValgrindSettings& settings);

} // namespace cibench

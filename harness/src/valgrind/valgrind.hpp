#pragma once
// Finding Valgrind, and the parts of its command line every tool shares.
#include "valgrind/output_files.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cibench {

class ValgrindTool;
struct Profile;

struct ValgrindSettings {
  bool cache_sim = true; // false: the Ir-only mode, cheaper and immune to layout noise in misses
  // Pinned cache geometry (size,associativity,line size): unpinned, Cachegrind copies the host's.
  std::string i1 = "32768,8,64";
  std::string d1 = "32768,8,64";
  std::string ll = "8388608,16,64";
};

struct Valgrind {
  std::filesystem::path executable;
  std::string version; // "valgrind-3.19.0"
};

// Finds valgrind on PATH and asks its version. Throws Error with the command that installs it.
Valgrind find_valgrind();

// valgrind --tool=NAME, the tool's own arguments, Valgrind's log in `files`, then `program_argv`.
// `trace_children`: the processes the program starts (sh -c, a script, fork and exec) are measured
// too, each writing its own files.
std::vector<std::string> valgrind_argv(const Valgrind& valgrind, const ValgrindTool& tool, const ValgrindSettings& settings,
                                       const RunFiles& files, bool region_only, bool trace_children,
                                       const std::vector<std::string>& program_argv);

// What Cachegrind and Callgrind share: no branch simulation, cache simulation stated explicitly
// (3.21 changed Cachegrind's default) with the geometry pinned, and `out_file_option`
// ("--cachegrind-out-file=...") last.
std::vector<std::string> counting_arguments(const ValgrindSettings& settings, const std::string& out_file_option);

// Throws Error(parse) naming `file` when the profile lacks an event these settings must produce.
void require_events(const Profile& profile, const ValgrindSettings& settings, const std::filesystem::path& file);

} // namespace cibench

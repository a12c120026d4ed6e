#pragma once
// The benchmarks to measure, from the config: plain commands as they are, suites expanded by
// asking each binary for --list.
#include "config/config.hpp"

#include <string>
#include <vector>

namespace cibench {

struct BenchmarkPlan {
  std::string name;
  std::vector<std::string> command; // argv[0] is the resolved program
  bool isolate_region = false;      // a suite benchmark: measured with --run, minus --calibrate
  RunSettings settings;
  std::string source;               // where it was declared, for messages
  std::string setup_error;          // non-empty: cannot be measured (its suite failed to --list)
};

// Throws Error when two benchmarks share a name or a name is unusable (empty, control
// characters, over 200 bytes). A suite that cannot list its benchmarks becomes one plan entry
// with a setup_error, so that the rest still run.
std::vector<BenchmarkPlan> make_plan(const Config& config);

// The environment a workload gets: nothing of ci-bench's own but LD_LIBRARY_PATH and LD_PRELOAD
// (as iai-callgrind keeps), plus what the config sets.
std::vector<std::string> workload_environment(const Environment& extra);

} // namespace cibench

#pragma once
// `ci-bench time`: the same workloads, natively, in seconds, with statistics.
#include "wallclock/wall_clock.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace cibench {

struct TimeOptions {
  std::filesystem::path config = "ci-bench.toml";
  std::string filter;
  std::filesystem::path out = "build/ci-bench"; // saved samples go to OUT/time/NAME.json
  std::string save;                             // save this run's samples under a name
  std::string baseline;                         // compare with samples saved under a name
  double threshold_pct = 10;                    // practical threshold for a regression
  std::filesystem::path compare;                // the other build's config: time both, interleaved
  int blocks = 30;                              // --compare: blocks a benchmark
  std::optional<std::uint64_t> seed;            // --compare: the blocks' order (default: random, printed)
  bool count_instructions = true;               // each benchmark's instructions, once under Valgrind
  std::filesystem::path json;                   // Google Benchmark JSON
  std::filesystem::path markdown;               // validation report
  SamplingOptions sampling;
};

// Returns 0, 1 (a significant regression past the threshold) or 2 (an error).
int time_benchmarks(const TimeOptions& options);

// `--compare`: the benchmarks of both configs with the same name, interleaved in one session.
// Same exit codes.
int compare_builds(const TimeOptions& options);

} // namespace cibench

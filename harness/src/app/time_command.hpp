#pragma once
// `ci-bench time`: the same workloads, natively, in seconds, with statistics.
#include "wallclock/wall_clock.hpp"

#include <filesystem>
#include <string>

namespace cibench {

struct TimeOptions {
  std::filesystem::path config = "ci-bench.toml";
  std::string filter;
  std::filesystem::path out = "build/ci-bench"; // saved samples go to OUT/time/NAME.json
  std::string save;                             // save this run's samples under a name
  std::string baseline;                         // compare with samples saved under a name
  double threshold_pct = 10;                    // practical threshold for a regression
  std::filesystem::path json;                   // Google Benchmark JSON
  std::filesystem::path markdown;               // validation report
  SamplingOptions sampling;
};

// Returns 0, 1 (a significant regression past the threshold) or 2 (an error).
int time_benchmarks(const TimeOptions& options);

} // namespace cibench

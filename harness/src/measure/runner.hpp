#pragma once
// Measures benchmarks under Cachegrind, in parallel. A workload that fails is an error result,
// never an exception, so that the others are still measured.
#include "config/config.hpp"
#include "valgrind/metrics.hpp"
#include "measure/plan.hpp"
#include "valgrind/profile.hpp"
#include "valgrind/valgrind.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct Measurement {
  std::string name;
  Tool tool = Tool::cachegrind;
  Metrics metrics;      // raw events and derived metrics; empty on error
  FunctionInstructions functions;
  std::string error;    // non-empty: why there are no metrics
  std::string compiler; // of the measured binary
  double seconds = 0;   // wall time of the Valgrind run(s)
  std::vector<std::filesystem::path> files; // raw outputs written
};

struct RunContext {
  Valgrind valgrind;
  ValgrindSettings settings;
  std::filesystem::path out_dir;
  std::filesystem::path project_dir;  // function files under it are reported relative to it
  std::optional<Tool> tool_override; // --tool
};

Measurement measure(const BenchmarkPlan& benchmark, const RunContext& context);

// Measures every benchmark with `jobs` at a time; results in plan order. `done` is called (from
// worker threads, one at a time) as each finishes.
std::vector<Measurement> measure_all(const std::vector<BenchmarkPlan>& plan, const RunContext& context, unsigned jobs,
                                     const std::function<void(const Measurement&)>& done);

} // namespace cibench

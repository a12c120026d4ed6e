#pragma once
// Stage 2, measure: each planned benchmark under its Valgrind tool, in parallel. A benchmark that
// fails becomes a Measurement with a failure, never an exception, so that the others still run.
#include "measure/measurement.hpp"
#include "measure/plan.hpp"
#include "valgrind/valgrind.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct MeasureContext {
  Valgrind valgrind;
  ValgrindSettings settings;
  Toolchain host;
  std::filesystem::path out_dir;
  std::filesystem::path project_dir;        // function files under it are reported relative to it
  std::optional<std::string> tool_override; // --tool
  std::string build_hint;                   // after "build it first": the config's reproduce command
};

Measurement measure(const BenchmarkPlan& benchmark, const MeasureContext& context);

// Measures every benchmark with `jobs` at a time; measurements in plan order. `done` is called
// (from worker threads, one at a time) as each finishes.
MeasurementSet measure_all(const std::vector<BenchmarkPlan>& plan, const MeasureContext& context, unsigned jobs,
                           const std::function<void(const Measurement&)>& done);

} // namespace cibench

#pragma once
// What one `ci-bench run` found: the data every output format (terminal, results.json) reads.
#include "judge/baseline.hpp"
#include "judge/comparison.hpp"
#include "judge/function_changes.hpp"
#include "judge/gate.hpp"
#include "measure/runner.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct BenchmarkResult {
  Measurement measurement;
  std::optional<Baseline> baseline;
  Verdict verdict;                    // status is error when measurement.error or error is set
  std::string error;                  // the measurement's error, or the baseline's
  std::vector<std::string> fingerprint_differences;
  std::vector<FunctionChange> function_changes; // when instructions changed and the baseline has functions
  bool baseline_written = false;      // --update-baselines wrote it
};

struct RunReport {
  std::vector<BenchmarkResult> benchmarks;
  std::vector<std::string> gone;      // baselines with no benchmark
  std::vector<std::string> skipped;   // wall_clock_only benchmarks, not measured by `run`
  std::vector<ComparisonResult> comparisons;
  Fingerprint host;
  bool updating_baselines = false;
  double seconds = 0;

  std::map<Status, int> counts() const;
  int exit_code() const;              // 2 any error, else 1 any fail, else 0
};

void write_results_json(const RunReport& report, const std::filesystem::path& file);

// Colour only when `colour` (the caller checks for a terminal and NO_COLOR).
void print_summary(const RunReport& report, std::FILE* out, bool colour);

} // namespace cibench

#pragma once
// Stage 3's output: what a judged run found. Every report format (terminal, results.json) reads it.
#include "config/config.hpp"
#include "baseline/baseline.hpp"
#include "judge/allocation_sites.hpp"
#include "judge/comparison.hpp"
#include "judge/function_changes.hpp"
#include "judge/gate.hpp"
#include "judge/line_changes.hpp"
#include "measure/commit.hpp"
#include "measure/measurement.hpp"
#include "measure/driver_build.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct BenchmarkResult {
  Measurement measurement;
  std::optional<Baseline> baseline;
  Verdict verdict;                  // status error whenever `failure` is set
  std::optional<Failure> failure;   // the measurement's or the baseline's
  std::vector<std::string> toolchain_differences;
  std::vector<FunctionChange> function_changes; // when instructions changed and the baseline has functions
  LineReport lines;                              // the same, per source line
  std::string flamegraph;                        // its flame graph's file in the --out folder ("" none)
  // heap = true: the allocation sites whose bytes changed most, in `allocation_site_metric`
  // (heap_peak_bytes when the peak changed, else heap_total_bytes)
  std::vector<FunctionChange> allocation_site_changes;
  std::string allocation_site_metric;
  std::vector<FunctionChange> symbol_changes; // [[artifact]]: the symbols whose size changed most
  // Set when the baseline kept only its biggest entries and the list above was sought: the smallest
  // it kept. An entry it did not keep is listed (before_at_most) only once it is above this.
  std::optional<std::int64_t> function_changes_floor, allocation_site_changes_floor, symbol_changes_floor;
  // The detail lists results.json and the history keep: the top entries of the measurement's, chosen
  // once when the run is judged (judge_benchmark), so that a results.json read back and
  // written again (merge) keeps the same entries.
  FunctionInstructions reported_functions;
  AllocationSites reported_allocation_sites; // heap = true
  FunctionInstructions reported_symbols;     // [[artifact]]
  bool baseline_written = false;    // --update-baselines wrote it
  std::vector<std::string> unstable_events; // nondeterministic: the events that moved ("Ir 5 then 7")

  const std::string& name() const { return measurement.name; }
};

// A slow rise the history found over its window (see history/trend.hpp): reported, never fatal.
struct Drift {
  std::string benchmark;
  std::string metric;
  double change_pct = 0;       // over the window
  int points = 0;              // in the window, this run's included
  std::string branch;          // whose points the window holds
  double largest_step_pct = 0;
  double warn_pct = 0;         // the metric's warn level
  double threshold_pct = 0;    // the drift threshold it rose past
  bool each_step_under_warn = true;
};

// --shard K/N: which part of which whole a run measured, so that `ci-bench merge` can put the
// parts back together (and tell a missing or doubled part).
struct ShardOfRun {
  int index = 1;
  int count = 1;
  std::vector<std::string> benchmarks;  // every benchmark of the whole run, in plan order
  std::vector<Comparison> comparisons;  // every [[compare]] of the whole run
};

struct RunResult {
  std::vector<BenchmarkResult> benchmarks;
  std::vector<std::string> gone;    // baselines with no benchmark
  std::vector<std::string> skipped; // wall_clock_only benchmarks, not measured by `run`
  std::vector<ComparisonResult> comparisons;
  Toolchain host;
  bool updating_baselines = false;
  bool allow_incomparable = false; // incomparable baselines warn instead of failing the gate
  double seconds = 0;
  CommitInfo commit;               // the measured checkout's (see history/commit_info.hpp)
  std::vector<Drift> drifts;       // found when the run was recorded into a history
  int interrupted_by = 0;           // the signal that stopped the run (SIGINT, SIGTERM), 0 if none
  std::string history_error;        // --history could not record the run: the verdicts stand, the exit is 2
  std::optional<ShardOfRun> shard;
  std::string config_digest;        // SHA-256 of the config file: nor do shards of two configs
  DriverBuild driver;               // the ci-bench that measured
  bool verified = false;            // --verify: each benchmark measured twice, its events compared
  ReportSettings report;            // what the PR comment tells a reader to type ("reproduce")

  std::map<Status, int> counts() const;
  int reused() const; // benchmarks whose counts were reused from their baseline
  // 128 + the signal when interrupted, else 2 any error or nondeterministic, else 1 any fail (or incomparable, unless
  // allowed), else 0
  int exit_code() const;
};

} // namespace cibench

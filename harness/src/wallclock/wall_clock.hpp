#pragma once
// Wall-clock samples of one benchmark, run natively (no Valgrind), one benchmark at a time.
#include "plan/plan.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct SamplingOptions {
  std::chrono::milliseconds warmup{200};       // body time spent before sampling (suites)
  std::chrono::milliseconds sample_target{10}; // a sample is made at least this long by batching
  std::chrono::milliseconds budget{3000};      // time for one benchmark's samples
  int min_samples = 10;
  int max_samples = 100;
};

// The fewest samples a benchmark may yield: a standard deviation, Welch's test and every interval
// need two. Fewer is that benchmark's error, and is never saved as a baseline.
constexpr std::size_t kMinSamples = 2;

// One benchmark's instruction count, measured under Valgrind beside its timing, or why there is none.
struct InstructionCount {
  std::optional<std::int64_t> value;
  std::string error; // empty with no value: counting was not asked for
};

struct TimedBenchmark {
  std::string name;
  std::vector<double> ns_per_iteration; // one per sample
  long long iterations = 1;             // body runs per sample
  std::string note;                     // e.g. the body is too short to time one at a time
  std::string error;                    // non-empty: no figures for this benchmark, exit status 2
  InstructionCount instructions;        // counted under Valgrind (the gate's way), when asked for
};

// The steady clock's resolution: the smallest non-zero step between two readings.
std::chrono::nanoseconds clock_resolution();

// Suites: the body timed by the workload itself (--time), batched so that a sample is long
// against the clock. Plain commands: the whole process, one run per sample. Never throws for the
// benchmark's sake: a workload that fails, or yields fewer samples than asked, fills `error`.
TimedBenchmark time_benchmark(const BenchmarkPlan& benchmark, const SamplingOptions& options,
                              std::chrono::nanoseconds resolution);

// How to time one benchmark, from one probe run (suites: one run of the body after the warm-up;
// commands: one whole process). Throws Error when the workload fails.
struct Batch {
  long long iterations = 1;   // body runs per sample (commands: 1)
  double sample_wall_ns = 0;  // the wall time one sample is expected to take, setup included
  std::string note;           // e.g. the body is too short to time one at a time
};
Batch choose_batch(const BenchmarkPlan& benchmark, const SamplingOptions& options, std::chrono::nanoseconds resolution);

// One process (suites; commands: one process a sample, after one warm-up run when warmup > 0):
// `samples` samples of `iterations` runs each, in ns per iteration. Throws Error when the workload
// fails or prints another number of samples than asked.
std::vector<double> time_samples(const BenchmarkPlan& benchmark, long long iterations, long long samples,
                                 std::chrono::milliseconds warmup);

} // namespace cibench

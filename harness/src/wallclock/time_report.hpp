#pragma once
// What `ci-bench time` found, and its three outputs: the terminal table, JSON in Google
// Benchmark's format (read by compare.py and github-action-benchmark), and a Markdown report.
#include "wallclock/saved_samples.hpp"
#include "wallclock/statistics.hpp"
#include "wallclock/time_comparison.hpp"
#include "wallclock/wall_clock.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct TimeResult {
  TimedBenchmark timed;
  stats::Summary summary;     // of ns per iteration; outliers kept in, and counted below
  stats::Interval mean_95, median_95;
  stats::Outliers outliers;
  std::optional<TimedBenchmark> baseline;
  stats::Summary baseline_summary; // of the baseline's samples, when there is one
  std::optional<TimeComparison> comparison;
  std::string not_compared;        // why a baseline entry of this name was skipped
};

// Every figure of one timed benchmark, and its comparison with `baseline` (null: none asked for).
// Fewer than kMinSamples samples, or a statistic that throws, become this benchmark's error
// (timed.error): one benchmark's bad samples must never stop the others from being reported.
TimeResult analyse_timing(TimedBenchmark timed, const SavedSamples* baseline, double threshold_pct);

struct TimeReport {
  std::vector<TimeResult> results;
  std::chrono::nanoseconds resolution{0};
  std::string baseline_name; // empty: no comparison asked for
  double threshold_pct = 10;

  int exit_code() const; // 2 any error, 1 any regression, else 0
};

// "5.81 ms", "812 ns", "1.20 s"
std::string format_duration(double ns);

// Outside text (a benchmark name, an error) as literal Markdown: no markup, no HTML, no line breaks.
std::string markdown_text(const std::string& text);

// A p-value to four places ("= 0.0312"); below that a bound ("< 0.0001"), since 0.0000 reads as impossible.
std::string format_p(double p);

void print_time_report(const TimeReport& report, std::FILE* out);
void write_google_benchmark_json(const TimeReport& report, const std::filesystem::path& file);
// The same for any timed benchmarks (those with an error are left out); `--compare` writes this
// build's side with it.
void write_google_benchmark_json(const std::vector<TimedBenchmark>& timed, std::chrono::nanoseconds resolution,
                                 const std::filesystem::path& file);
void write_markdown_report(const TimeReport& report, const std::filesystem::path& file);

} // namespace cibench

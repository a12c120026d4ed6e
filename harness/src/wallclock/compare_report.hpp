#pragma once
// What `ci-bench time --compare` found, and its outputs: the terminal, a Markdown report and this
// build's side as Google Benchmark JSON (instruction counts as a counter).
#include "wallclock/block_comparison.hpp"
#include "wallclock/interleaved.hpp"
#include "wallclock/statistics.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct ComparedBenchmark {
  InterleavedTiming timing;
  InstructionCount candidate_instructions, other_instructions;
  stats::Summary candidate, other;             // over every sample of every block, for reading
  std::optional<BlockComparison> comparison;   // absent when timing.error is set
};

// The comparison of one benchmark's blocks; a statistic that throws becomes timing.error.
ComparedBenchmark analyse_interleaved(InterleavedTiming timing, InstructionCount candidate_instructions,
                                      InstructionCount other_instructions, double threshold_pct);

struct CompareReport {
  std::filesystem::path candidate_config, other_config;
  std::uint64_t seed = 0;
  int blocks = 0;
  double threshold_pct = 0;
  std::chrono::nanoseconds resolution{0};
  std::vector<ComparedBenchmark> results;
  std::vector<std::string> only_here, only_there; // names on one side only: not timed

  int exit_code() const; // 2 any error, 1 any regression, else 0
};

void print_compare_report(const CompareReport& report, std::FILE* out);
void write_compare_markdown(const CompareReport& report, const std::filesystem::path& file);
void write_compare_google_benchmark_json(const CompareReport& report, const std::filesystem::path& file);

} // namespace cibench

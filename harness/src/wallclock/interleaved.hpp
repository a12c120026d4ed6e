#pragma once
// Two builds of one benchmark timed in one session, interleaved (`ci-bench time --compare`): B
// blocks, each block one short timing of each side (one process: a warm-up, then a few samples),
// the two sides in a seeded random order that puts each side first in half of the blocks. Drift
// in the machine's state then hits both sides alike, and block_comparison analyses the blocks.
#include "plan/plan.hpp"
#include "wallclock/wall_clock.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace cibench {

struct InterleaveOptions {
  int blocks = 10;
  std::uint64_t seed = 0;
  SamplingOptions sampling;              // budget: per side and benchmark, spread over the blocks
  std::chrono::milliseconds warmup{50};  // before each side's samples, in every block
  int min_samples_per_block = 3;
  int max_samples_per_block = 30;
};

struct InterleavedTiming {
  std::string name;
  long long iterations = 1;          // body runs per sample, the same on both sides
  long long samples_per_block = 0;
  std::vector<std::vector<double>> candidate, other; // per block: ns per iteration
  std::vector<bool> candidate_first;                 // per block
  std::string note;
  std::string error; // non-empty: no figures
};

// Which side goes first in each block: each side in half of them (the odd one out by coin),
// shuffled by a generator seeded with `seed`, so the same seed gives the same order.
std::vector<bool> block_order(int blocks, std::uint64_t seed);

// Never throws for the benchmark's sake: a failing workload fills `error`.
InterleavedTiming time_interleaved(const BenchmarkPlan& candidate, const BenchmarkPlan& other,
                                   const InterleaveOptions& options, std::chrono::nanoseconds resolution);

} // namespace cibench

#include "wallclock/interleaved.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <random>

namespace cibench {

std::vector<bool> block_order(int blocks, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::vector<bool> first(static_cast<std::size_t>(blocks), false);
  for (int i = 0; i < blocks / 2; ++i) first[static_cast<std::size_t>(i)] = true;
  if (blocks % 2) first.back() = (generator() & 1) != 0;
  std::shuffle(first.begin(), first.end(), generator);
  return first;
}

InterleavedTiming time_interleaved(const BenchmarkPlan& candidate, const BenchmarkPlan& other, const InterleaveOptions& o,
                                   std::chrono::nanoseconds resolution) {
  InterleavedTiming t;
  t.name = candidate.name;
  try {
    for (const auto* side : {&candidate, &other})
      if (side->setup_failure) throw Error(side->setup_failure->kind, side->setup_failure->message);
    if (candidate.has_region() != other.has_region())
      throw Error(ErrorKind::config, "a suite benchmark on one side and a plain command on the other: they time different things");
    // One batch size for both sides, so that a sample means the same on each: the smaller of the
    // two probes' choices, and the longer of their samples for the budget.
    const Batch a = choose_batch(candidate, o.sampling, resolution), b = choose_batch(other, o.sampling, resolution);
    t.iterations = std::min(a.iterations, b.iterations);
    t.note = a.note;
    const double sample_ns = std::max({a.sample_wall_ns / static_cast<double>(a.iterations),
                                       b.sample_wall_ns / static_cast<double>(b.iterations), 1.0}) *
                             static_cast<double>(t.iterations);
    const double per_block_ns = static_cast<double>(std::chrono::nanoseconds(o.sampling.budget).count()) / o.blocks;
    t.samples_per_block = std::clamp<long long>(static_cast<long long>(per_block_ns / sample_ns), o.min_samples_per_block,
                                                o.max_samples_per_block);
    t.candidate_first = block_order(o.blocks, o.seed);
    for (int i = 0; i < o.blocks; ++i) {
      auto run = [&](const BenchmarkPlan& side, std::vector<std::vector<double>>& into) {
        try {
          into.push_back(time_samples(side, t.iterations, t.samples_per_block, o.warmup));
        } catch (const Error& e) {
          throw Error(e.kind, fmt::format("{} side ({}), block {}: {}", &side == &candidate ? "this" : "the other",
                                            side.source, i + 1, e.what()));
        }
      };
      if (t.candidate_first[static_cast<std::size_t>(i)]) {
        run(candidate, t.candidate);
        run(other, t.other);
      } else {
        run(other, t.other);
        run(candidate, t.candidate);
      }
    }
  } catch (const Error& e) {
    t.error = e.what();
    t.candidate.clear();
    t.other.clear();
  }
  return t;
}

} // namespace cibench

#pragma once
// The retry schedule, shared by the scheduling workload and the Google Benchmark side-by-side.
#include <algorithm>
#include <cstdint>
#include <random>

namespace workloads {

// Exponential backoff with "equal jitter": attempt k waits between d/2 and d, where
// d = min(cap, base * 2^k): 100 ms, 200 ms, 400 ms, ... capped at 30 s.
inline std::int64_t backoff_ms(int attempt, std::mt19937& rng) {
  const std::int64_t d = std::min<std::int64_t>(30'000, std::int64_t{100} << attempt);
  return d / 2 + static_cast<std::int64_t>(rng() % static_cast<std::uint32_t>(d / 2 + 1));
}

} // namespace workloads

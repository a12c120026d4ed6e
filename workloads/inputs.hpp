#pragma once
// Inputs generated from fixed seeds, shared by the sorting workloads and the Google Benchmark
// side-by-side (tools/dev/side_by_side/), so both time the same work on the same data.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace workloads {

inline std::vector<long> shuffled_longs(size_t n) {
  std::vector<long> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<long>(i);
  std::shuffle(v.begin(), v.end(), std::mt19937_64(42)); // fixed seed: the same input every run
  return v;
}

inline std::vector<std::string> random_words(size_t n) {
  std::mt19937 rng(7);
  std::vector<std::string> words(n);
  for (auto& w : words) {
    w.resize(4 + rng() % 12);
    for (auto& c : w) c = static_cast<char>('a' + rng() % 26);
  }
  return words;
}

} // namespace workloads

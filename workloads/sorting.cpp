// Sorting: std::sort and std::stable_sort on inputs generated (outside the region) from a fixed seed.
#include <cibench/workload.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace {

std::vector<long> shuffled_longs(size_t n) {
  std::vector<long> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<long>(i);
  std::shuffle(v.begin(), v.end(), std::mt19937_64(42)); // fixed seed: the same input every run
  return v;
}

std::vector<std::string> random_words(size_t n) {
  std::mt19937 rng(7);
  std::vector<std::string> words(n);
  for (auto& w : words) {
    w.resize(4 + rng() % 12);
    for (auto& c : w) c = static_cast<char>('a' + rng() % 26);
  }
  return words;
}

} // namespace

CIBENCH_BENCHMARK("sort.longs.100k", bench) {
  auto v = shuffled_longs(100'000);
  bench.measure([&] { std::sort(v.begin(), v.end()); });
  cibench::black_box(v.data());
}

CIBENCH_BENCHMARK("sort.stable.longs.100k", bench) {
  auto v = shuffled_longs(100'000);
  bench.measure([&] { std::stable_sort(v.begin(), v.end()); });
  cibench::black_box(v.data());
}

CIBENCH_BENCHMARK("sort.strings.20k", bench) {
  auto words = random_words(20'000);
  bench.measure([&] { std::sort(words.begin(), words.end()); });
  cibench::black_box(words.data());
}

CIBENCH_MAIN()

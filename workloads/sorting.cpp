// Sorting: std::sort and std::stable_sort on inputs generated (outside the region) from a fixed seed.
#include "inputs.hpp"

#include <cibench/workload.hpp>

#include <algorithm>


using workloads::random_words;
using workloads::shuffled_longs;

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

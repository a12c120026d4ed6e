// The bodies of two ci-bench workloads (sort.longs.100k, retry.exponential_backoff) timed by
// Google Benchmark, for tools/dev/side_by_side/run.py. Setup is excluded with PauseTiming, as
// ci-bench excludes it by timing only the body.
#include "backoff.hpp"
#include "inputs.hpp"

#include <algorithm>
#include <benchmark/benchmark.h>

static void sort_longs_100k(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    auto v = workloads::shuffled_longs(100'000);
    state.ResumeTiming();
    std::sort(v.begin(), v.end());
    benchmark::DoNotOptimize(v.data());
  }
}
BENCHMARK(sort_longs_100k)->Unit(benchmark::kMillisecond);

static void retry_exponential_backoff(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    std::mt19937 rng(2024);
    state.ResumeTiming();
    std::int64_t total_ms = 0;
    for (int op = 0; op < 1000; ++op)
      for (int attempt = 0; attempt < 10; ++attempt) total_ms += workloads::backoff_ms(attempt, rng);
    benchmark::DoNotOptimize(total_ms);
  }
}
BENCHMARK(retry_exponential_backoff)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();

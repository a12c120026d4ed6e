// A suite for the tests. TESTSUITE_ITERATIONS (default 100000) sets the loop's size, so a test
// can make it slower through the config's env table.
#include <cibench/workload.hpp>

#include <cstdlib>
#include <vector>

static long iterations() {
  const char* v = std::getenv("TESTSUITE_ITERATIONS");
  return v ? std::atol(v) : 100'000;
}

CIBENCH_BENCHMARK("empty", bench) {
  std::vector<long> setup(50'000, 1); // setup and teardown that must not count
  bench.measure([] {});
  cibench::black_box(setup.data());
}

CIBENCH_BENCHMARK("loop", bench) {
  std::vector<long> setup(50'000, 1);
  const long n = iterations();
  bench.measure([&] {
    volatile unsigned long acc = 0;
    for (long i = 0; i < n; ++i) acc = acc * 31 + static_cast<unsigned long>(i);
  });
  cibench::black_box(setup.data());
}

CIBENCH_BENCHMARK("twice", bench) { // a bug the header must catch: two measured regions
  bench.measure([] {});
  bench.measure([] {});
}

CIBENCH_BENCHMARK_FAMILY("scaled", bench, 1, 4) { // scaled/1 and scaled/4: 10 000 iterations each
  bench.measure([&] {
    volatile unsigned long acc = 0;
    for (long i = 0; i < 10'000 * bench.arg(); ++i) acc = acc + static_cast<unsigned long>(i);
  });
}

// Two functions; TESTSUITE_HOT_EXTRA adds iterations to hot_work only, so a test can make one
// known function slower and check that the report names it.
[[gnu::noinline]] static unsigned long cold_work(long n) {
  volatile unsigned long acc = 0;
  for (long i = 0; i < n; ++i) acc = acc ^ static_cast<unsigned long>(i);
  return acc;
}
[[gnu::noinline]] static unsigned long hot_work(long n) {
  volatile unsigned long acc = 0;
  for (long i = 0; i < n; ++i) acc = acc + static_cast<unsigned long>(i) * 3;
  return acc;
}

CIBENCH_BENCHMARK("two_functions", bench) {
  const char* extra = std::getenv("TESTSUITE_HOT_EXTRA");
  const long hot = 20'000 + (extra ? std::atol(extra) : 0);
  unsigned long sink = 0;
  bench.measure([&] { sink = cold_work(50'000) + hot_work(hot); });
  cibench::black_box(sink);
}

CIBENCH_MAIN()

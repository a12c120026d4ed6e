// The cost of measure_time, counted and timed. Built twice (workloads/CMakeLists.txt): without
// CIBENCH_INSTRUMENTATION as "instrumentation" (the gate proves a disabled timer costs no
// instruction) and with it as "instrumentation_on" (wall-clock mode times an enabled call).
#include <cibench/measure_time.hpp>
#include <cibench/workload.hpp>

#ifdef CIBENCH_INSTRUMENTATION
#define MODE "enabled"
#else
#define MODE "disabled"
#endif

namespace {
constexpr long kCalls = 1'000'000;
}

// A million trips round a loop that does a little work, with no timer.
CIBENCH_BENCHMARK("measure_time." MODE ".none/1M", bench) {
  unsigned long acc = 0;
  bench.measure([&] {
    for (long i = 0; i < kCalls; ++i) {
      acc += static_cast<unsigned long>(i);
      cibench::black_box(acc);
    }
  });
}

// The same loop with a timer around each trip.
CIBENCH_BENCHMARK("measure_time." MODE ".timed/1M", bench) {
  unsigned long acc = 0;
  bench.measure([&] {
    for (long i = 0; i < kCalls; ++i) {
      CIBENCH_MEASURE_TIME("loop.body");
      acc += static_cast<unsigned long>(i);
      cibench::black_box(acc);
    }
  });
}

CIBENCH_MAIN()

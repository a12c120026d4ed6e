// rollhash's benchmarks: ci-bench lists them (--list) and measures each body under Valgrind.
#include <cibench/workload.hpp>
#include <rollhash.h>

#include <cstdint>
#include <vector>

static std::vector<unsigned char> bytes(std::size_t n) {
  std::vector<unsigned char> v(n);
  std::uint32_t x = 12345;
  for (auto& b : v) b = static_cast<unsigned char>((x = x * 1103515245u + 12345u) >> 16);
  return v;
}

CIBENCH_BENCHMARK("rollhash.64k", bench) {
  const auto data = bytes(64 * 1024);  // setup: not measured
  std::uint64_t h = 0;
  bench.measure([&] { h = rollhash(data.data(), data.size()); });
  cibench::black_box(h);
}

CIBENCH_BENCHMARK_FAMILY("rollhash.windows", bench, 16, 256) {
  const auto data = bytes(32 * 1024);
  std::size_t count = 0;
  bench.measure([&] { count = rollhash_count_below(data.data(), data.size(), bench.arg(), UINT64_MAX / 2); });
  cibench::black_box(count);
}

CIBENCH_MAIN()

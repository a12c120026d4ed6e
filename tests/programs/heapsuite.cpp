// A suite whose bodies allocate a known number of blocks of known sizes while their setup and
// teardown allocate others: the oracle for the region heap figures (tests/integration/test_heap.py).
#include <cibench/workload.hpp>

#include <array>
#include <cstdlib>

namespace {

[[gnu::noinline]] void* allocate(size_t bytes) {
  void* p = std::malloc(bytes);
  cibench::black_box(p);
  return p;
}

} // namespace

// Body: 4096 + 5 x 100 + 50 bytes in 7 blocks; at its peak 4096 + 500 bytes in 6 blocks are live;
// the 50-byte block is never freed. Setup: three 1000-byte blocks live during the body (freed in
// teardown) and a 500-byte block freed before it.
CIBENCH_BENCHMARK("known.allocations", bench) {
  std::array<void*, 3> setup{};
  for (auto& p : setup) p = allocate(1000);
  std::free(allocate(500));
  std::array<void*, 5> kept{};
  bench.measure([&] {
    void* scratch = allocate(4096);
    for (auto& p : kept) p = allocate(100);
    std::free(scratch);
    cibench::black_box(allocate(50)); // leaked: still live at exit
  });
  for (auto* p : kept) std::free(p);
  for (auto* p : setup) std::free(p);
}

// Setup allocates, the body does not: every figure of the body is 0.
CIBENCH_BENCHMARK("known.nothing", bench) {
  void* setup = allocate(2000);
  bench.measure([] {});
  std::free(setup);
}

CIBENCH_MAIN()

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

// Setup once held far more than setup and body ever hold together, so the process peaks in setup:
// the body's figures come from its own peak all the same. Body: 2000 + 1000 bytes live at once (2
// blocks), then 500 more after the 2000 are freed; its peak is 3000 bytes in 2 blocks.
CIBENCH_BENCHMARK("known.setup_bigger", bench) {
  std::free(allocate(100'000));
  void* held = allocate(1000);
  void* kept[2] = {};
  bench.measure([&] {
    void* big = allocate(2000);
    kept[0] = allocate(1000);
    std::free(big);
    kept[1] = allocate(500);
  });
  for (auto* p : kept) std::free(p);
  std::free(held);
}

// The body frees a block setup made, after its own peak: the bytes live outside the body differ
// between the peak and the body's end, and ci-bench refuses to give a peak it cannot prove (the
// true one, 2000 bytes, comes after the process's peak of setup's 5000 + the body's 1000).
CIBENCH_BENCHMARK("refused.frees_setup_after_peak", bench) {
  void* setup = allocate(5000);
  void* kept = nullptr;
  bench.measure([&] {
    std::free(allocate(1000));
    std::free(setup);
    kept = allocate(2000);
  });
  std::free(kept);
}

CIBENCH_MAIN()

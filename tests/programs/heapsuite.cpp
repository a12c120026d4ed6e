// A suite whose bodies allocate a known number of blocks of known sizes while their setup and
// teardown allocate others: the oracle for the region heap figures (tests/integration/test_heap.py).
#include <cibench/workload.hpp>

#include <array>
#include <cstdlib>
#include <malloc.h>
#include <new>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

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
// between the peak and the body's end. The heap counter counts the body's peak, 2000 bytes in 1
// block; DHAT's two runs cannot prove it (the process's peak is setup's 5000 + the body's 1000),
// so their allocation sites leave the peak out.
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

// Every member of the malloc family, with DHAT's conventions: a realloc is one more block of its
// new size; malloc(0) is 1 byte; realloc(p, 0) frees. Body: 100, 200, 50, 400 bytes in 4 blocks,
// one block live throughout, peak 400 bytes, nothing left.
CIBENCH_BENCHMARK("family.realloc_chain", bench) {
  bench.measure([] {
    void* p = allocate(100);
    p = std::realloc(p, 200);
    p = std::realloc(p, 50);
    p = std::realloc(p, 400);
    cibench::black_box(p);
    std::free(p);
  });
}

// aligned_alloc 256 + posix_memalign 100 + memalign 40 + aligned new[] 100: 496 bytes in 4 blocks,
// all live at once; the memalign block is kept (40 bytes at exit).
CIBENCH_BENCHMARK("family.aligned", bench) {
  void* kept = nullptr;
  bench.measure([&] {
    void* a = std::aligned_alloc(64, 256);
    void* b = nullptr;
    if (posix_memalign(&b, 128, 100) != 0) std::abort();
    kept = memalign(32, 40);
    char* c = new (std::align_val_t(64)) char[100];
    cibench::black_box(a);
    cibench::black_box(b);
    cibench::black_box(c);
    std::free(a);
    std::free(b);
    operator delete[](c, std::align_val_t(64));
  });
  cibench::black_box(kept);
}

// new[] 1000 + new 80 + calloc 10 x 30 + malloc(0) (1 byte, leaked) + malloc 20 freed by
// realloc(p, 0): 1401 bytes in 5 blocks, all live at once; 1 byte at exit.
CIBENCH_BENCHMARK("family.new_calloc_zero", bench) {
  bench.measure([] {
    char* array = new char[1000];
    long* one = new long[10];
    void* zeroed = std::calloc(10, 30);
    void* zero = allocate(0);
    void* p = allocate(20);
    cibench::black_box(array);
    cibench::black_box(one);
    cibench::black_box(zeroed);
    cibench::black_box(zero);
    cibench::black_box(std::realloc(p, 0));
    delete[] array;
    delete[] one;
    std::free(zeroed);
  });
}

// A block setup allocated, resized by the body, stays setup's: the body's figures are its own
// 10-byte block only.
CIBENCH_BENCHMARK("family.realloc_setup_block", bench) {
  void* setup = allocate(100);
  void* own = nullptr;
  bench.measure([&] {
    setup = std::realloc(setup, 300);
    own = allocate(10);
  });
  std::free(own);
  std::free(setup);
}

// A thread the body starts allocates 5000 bytes on its own stack of frames: not the body's (DHAT's
// rule too: the body's frame is not on that thread's stack). What starting it allocates on the
// body's thread is.
CIBENCH_BENCHMARK("family.thread", bench) {
  bench.measure([] {
    std::thread worker([] { std::free(allocate(5000)); });
    worker.join();
    std::free(allocate(10));
  });
}

// A body block that teardown grows: its realloc counts in the total (one more block, DHAT's rule)
// but not in the body's peak, which is over the body's run. 10 + 5000 bytes in 2 blocks, peak 10.
CIBENCH_BENCHMARK("family.realloc_in_teardown", bench) {
  void* kept = nullptr;
  bench.measure([&] { kept = allocate(10); });
  kept = std::realloc(kept, 5000);
  std::free(kept);
}

// A body that forks: the child's heap is another process's, which the counter does not count,
// and ci-bench says so rather than give a figure.
CIBENCH_BENCHMARK("forks.in_body", bench) {
  bench.measure([] {
    if (pid_t child = fork(); child == 0) {
      std::free(allocate(12345));
      _exit(0);
    } else if (child > 0) {
      waitpid(child, nullptr, 0);
    }
  });
}

// A body whose heap depends on its process id: a different figure in every run, which --verify
// must report.
CIBENCH_BENCHMARK("varying.pid_sized", bench) {
  bench.measure([] { std::free(allocate(16 + static_cast<size_t>(getpid()) % 4096)); });
}

CIBENCH_MAIN()

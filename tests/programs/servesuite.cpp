// A suite for the served runs (one Valgrind start, a forked child per benchmark):
//   ok.small, ok.large      loops of known size
//   crash                   dies of SIGSEGV in its body
//   hang                    sleeps in its body until its timeout kills it
//   clock                   a loop whose length depends on the clock: counts that never repeat
//   sees.*                  bodies that count what a process of their own would see: a library
//                           function's first call, SIGALRM's disposition, $PWD, and a file written
//                           beside the working folder by one benchmark (sees.write) for the next
//   trivial/0 .. trivial/199  empty bodies: what a benchmark costs beyond its work
// SERVESUITE_THREAD=1 starts a thread before main(), which a served run must not fork.
#include <cibench/workload.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <thread>
#include <unistd.h>

static const bool thread_started = [] {
  if (!std::getenv("SERVESUITE_THREAD")) return false;
  // Blocked in pause() before main() runs, and never wakes: no instruction of its own in a region
  // (started and left running, its start-up landed in a region now and then: 1,800,137 for 1,800,005).
  static std::atomic<bool> ready{false};
  std::thread([] {
    ready = true;
    for (;;) pause();
  }).detach();
  while (!ready) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(200)); // from `ready` into pause()
  return true;
}();

static void loop(long n) {
  volatile unsigned long acc = 0;
  for (long i = 0; i < n; ++i) acc = acc * 31 + static_cast<unsigned long>(i);
}

CIBENCH_BENCHMARK("ok.small", bench) { bench.measure([] { loop(10'000); }); }
CIBENCH_BENCHMARK("ok.large", bench) { bench.measure([] { loop(200'000); }); }

CIBENCH_BENCHMARK("crash", bench) {
  bench.measure([] {
    volatile int* p = nullptr;
    *p = 1;
  });
}

CIBENCH_BENCHMARK("hang", bench) {
  bench.measure([] { for (;;) pause(); });
}

CIBENCH_BENCHMARK("clock", bench) {
  bench.measure([] { loop(1000 + std::chrono::steady_clock::now().time_since_epoch().count() % 997); });
}

CIBENCH_BENCHMARK("sees.first_calls", bench) {
  long sum = 0;
  bench.measure([&] { sum = std::strtol("12345", nullptr, 10) + (std::strstr("haystack", "st") != nullptr); });
  cibench::black_box(sum);
}

CIBENCH_BENCHMARK("sees.alarm", bench) {
  bench.measure([] {
    struct sigaction old {};
    sigaction(SIGALRM, nullptr, &old);
    if (old.sa_handler != SIG_DFL) loop(100'000); // inherited a handler: counts 900 000 more
  });
}

CIBENCH_BENCHMARK("sees.pwd", bench) {
  bench.measure([] {
    char cwd[4096];
    const char* pwd = std::getenv("PWD");
    if (!pwd || !getcwd(cwd, sizeof cwd) || std::strcmp(pwd, cwd) != 0) std::exit(9);
  });
}

CIBENCH_BENCHMARK("sees.write", bench) {
  bench.measure([] {
    if (FILE* f = std::fopen("../shared.txt", "w")) {
      std::fputs("written by sees.write\n", f);
      std::fclose(f);
    }
  });
}

CIBENCH_BENCHMARK("sees.read", bench) { // after sees.write in --list order: finds nothing of it
  bench.measure([] {
    if (FILE* f = std::fopen("../shared.txt", "r")) {
      std::fclose(f);
      loop(100'000);
    }
  });
}

#define CIBENCH_TEN(d) d##0, d##1, d##2, d##3, d##4, d##5, d##6, d##7, d##8, d##9
CIBENCH_BENCHMARK_FAMILY("trivial", bench, CIBENCH_TEN(), CIBENCH_TEN(1), CIBENCH_TEN(2), CIBENCH_TEN(3), CIBENCH_TEN(4),
                         CIBENCH_TEN(5), CIBENCH_TEN(6), CIBENCH_TEN(7), CIBENCH_TEN(8), CIBENCH_TEN(9), CIBENCH_TEN(10),
                         CIBENCH_TEN(11), CIBENCH_TEN(12), CIBENCH_TEN(13), CIBENCH_TEN(14), CIBENCH_TEN(15),
                         CIBENCH_TEN(16), CIBENCH_TEN(17), CIBENCH_TEN(18), CIBENCH_TEN(19)) {
  bench.measure([] {});
}

CIBENCH_MAIN()

// Throwaway: best of 500 trials of 10k calls each; the best trial is the one least disturbed by load.
#define CIBENCH_INSTRUMENTATION
#include <cibench/measure_time.hpp>
#include <chrono>
#include <cstdio>
#include <x86intrin.h>
template <class F> double best_ns_per_call(F f) {
  double best = 1e30;
  for (int t = 0; t < 500; ++t) {
    auto a = std::chrono::steady_clock::now();
    f();
    auto b = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double, std::nano>(b - a).count() / 1e4);
  }
  return best;
}
int main() {
  volatile unsigned long sink = 0;
  double none = best_ns_per_call([&] { for (long i = 0; i < 10000; ++i) sink = sink + i; });
  double timed = best_ns_per_call([&] { for (long i = 0; i < 10000; ++i) { CIBENCH_MEASURE_TIME("loop.body"); sink = sink + i; } });
  double steady = best_ns_per_call([&] { for (long i = 0; i < 10000; ++i) sink = sink + std::chrono::steady_clock::now().time_since_epoch().count(); });
  double tsc = best_ns_per_call([&] { for (long i = 0; i < 10000; ++i) sink = sink + __rdtsc(); });
  std::printf("per enabled call %.1f ns (timed %.1f - none %.1f); steady_clock::now() %.1f ns; rdtsc %.1f ns\n", timed - none, timed, none, steady, tsc);
}

#pragma once
// The workload header: register benchmarks in a program that ci-bench runs as a [[suite]].
//
//   #include <cibench/workload.hpp>
//
//   CIBENCH_BENCHMARK("sort.100k", bench) {
//     std::vector<long> v = shuffled(100'000);          // setup: not measured
//     bench.measure([&] { std::sort(v.begin(), v.end()); });
//     cibench::black_box(v.data());                     // keep the result alive
//   }
//
//   CIBENCH_BENCHMARK_FAMILY("store.sqlite", bench, 1, 3, 5) {   // store.sqlite/1, /3, /5
//     const long agents = bench.arg();
//     ...
//   }
//
//   CIBENCH_MAIN()
//
// The program then answers:
//   --list             one benchmark name per line
//   --run NAME         setup, body, teardown
//   --serve REQUESTS   after start-up, a forked child per request, each as --run (serve_main says how)
//   --calibrate NAME   setup and teardown only: under Cachegrind, ci-bench subtracts this run from
//                      --run, so process start-up, setup and teardown cost nothing in the counts.
//   --heap-count NAME  as --run, natively, with ci-bench's heap counter preloaded (`heap = true`):
//                      the body is bracketed by cibench_heap_enter() and cibench_heap_leave(), which
//                      the counter defines, so what the body's thread allocates between them is the body's.
//   --heap NAME        as --run, with the body called from cibench_heap_region(): under DHAT
//                      (when heap figures moved, to name the allocation sites), what is allocated
//                      with that frame on the stack is the body's.
//   --heap-peak NAME BALLAST_BYTES
//                      setup, then a block of BALLAST_BYTES (from cibench_heap_ballast(), outside the
//                      region) held through the body, then exit at once: ci-bench passes more than
//                      the process ever held, so DHAT's global peak falls at the body's own peak and
//                      its end-of-run snapshot at the body's end (heap_run.cpp says why that is exact).
//   --time NAME ITERATIONS SAMPLES WARMUP_MS
//                      wall-clock mode (`ci-bench time`): runs the benchmark for WARMUP_MS, then
//                      prints SAMPLES lines "BODY_NS WALL_NS": the body's nanoseconds summed over
//                      ITERATIONS runs, and the wall time those runs took with setup and teardown
//                      (which tells ci-bench how many runs it can afford).
// Under Callgrind (tool = "callgrind"), the body is bracketed by Callgrind's client requests and
// Valgrind runs with --instr-atstart=no, so one --run counts exactly the body.
//
// Calibration's blind spot: teardown whose cost depends on what the body did (destroying the
// container the body filled) differs between the two runs and is counted as the body's. Free such
// things inside the body, or measure that benchmark with tool = "callgrind".
#include <chrono>
#include <cstdio>
#include <dlfcn.h>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#if !defined(CIBENCH_NO_CALLGRIND) && __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define CIBENCH_REGION_BEGIN() CALLGRIND_START_INSTRUMENTATION
#define CIBENCH_REGION_END() CALLGRIND_STOP_INSTRUMENTATION
#else // without Valgrind's headers a Callgrind run counts nothing, and ci-bench reports that
#define CIBENCH_REGION_BEGIN() ((void)0)
#define CIBENCH_REGION_END() ((void)0)
#endif

// The frame that marks the body in a --heap run: never inlined and never a tail call, so it is on
// the stack of every allocation the body makes. ci-bench matches its name.
extern "C" {
[[gnu::noinline]] inline void cibench_heap_region(void (*run)(void*), void* body) {
  run(body);
  asm volatile("" ::: "memory");
}

// The --heap-peak ballast: its own frame, so ci-bench can find the block in DHAT's profile.
[[gnu::noinline]] inline void* cibench_heap_ballast(size_t bytes) {
  void* p = std::malloc(bytes);
  asm volatile("" : : "r"(p) : "memory"); // neither elided nor moved
  return p;
}
}

namespace cibench::detail {

// --heap-count: the counter's brackets, found in the process when ci-bench preloads the counter.
using HeapHook = void (*)();
inline HeapHook heap_enter = nullptr, heap_leave = nullptr;

inline size_t heap_ballast_bytes = 0; // --heap-peak's BALLAST_BYTES; 0 under --heap

// A --heap, --heap-peak or --heap-count run of the body. Out of line, with cibench_heap_region's
// signature, so that measure() compiles to the same code whatever these modes do, and the bodies'
// --run counts do not move when they change.
[[gnu::noinline]] inline void heap_run(void (*run)(void*), void* body) {
  if (heap_enter) { // --heap-count
    heap_enter();
    run(body);
    heap_leave();
    return;
  }
  void* ballast = heap_ballast_bytes ? cibench_heap_ballast(heap_ballast_bytes) : nullptr;
  if (heap_ballast_bytes && !ballast) {
    std::fprintf(stderr, "cannot allocate the %zu-byte ballast of --heap-peak\n", heap_ballast_bytes);
    std::_Exit(4);
  }
  cibench_heap_region(run, body);
  if (ballast) std::_Exit(0); // DHAT's end-of-run snapshot is the body's end, the ballast still live
}

} // namespace cibench::detail

namespace cibench {

// Makes the optimiser assume `value` is read (and, for a non-const lvalue, changed) here, so the
// work that produced it cannot be deleted. The same trick as Google Benchmark's DoNotOptimize.
template <class T> inline void black_box(const T& value) { asm volatile("" : : "r,m"(value) : "memory"); }
template <class T> inline void black_box(T& value) { asm volatile("" : "+r,m"(value) : : "memory"); }

class Bench {
public:
  enum class Mode { run, calibrate, time, heap };
  Bench(Mode mode, long arg) : mode_(mode), arg_(arg) {}

  // The parameter of a family member (store.sqlite/3 -> 3); 0 for a plain benchmark.
  long arg() const { return arg_; }

  // Runs the measured region once. Call it exactly once per benchmark.
  template <class Body> void measure(Body&& body) {
    ++measure_calls_;
    if (mode_ == Mode::calibrate) return;
    if (mode_ == Mode::heap) { // --heap, --heap-peak and --heap-count
      using BodyType = std::remove_reference_t<Body>;
      detail::heap_run([](void* b) { (*static_cast<BodyType*>(b))(); }, static_cast<void*>(&body));
      return;
    }
    if (mode_ == Mode::time) {
      const auto start = std::chrono::steady_clock::now();
      body();
      elapsed_ += std::chrono::steady_clock::now() - start;
      return;
    }
    CIBENCH_REGION_BEGIN(); // outside Valgrind, a few instructions that do nothing
    body();
    CIBENCH_REGION_END();
  }

  int measure_calls() const { return measure_calls_; }
  std::chrono::nanoseconds elapsed() const { return elapsed_; } // time mode: the body's time

private:
  Mode mode_;
  std::chrono::nanoseconds elapsed_{0};
  long arg_;
  int measure_calls_ = 0;
};

namespace detail {

using BenchmarkFn = void (*)(Bench&);

// Calls fn(bench) with the stack pointer at the same offset within a 4 KiB page whatever ran
// before: --run NAME's argv (its length moves the whole stack), a served child's call path. A
// body's stack buffers then keep their alignment, and memcpy or strlen their instruction counts,
// for every name and in every mode.
[[gnu::noinline]] inline void call_page_aligned(BenchmarkFn fn, Bench& bench) {
  const auto frame = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  char* pad = static_cast<char*>(__builtin_alloca(frame % 4096 + 64));
  asm volatile("" : : "r"(pad) : "memory"); // kept, and not merged into the call below
  fn(bench);
  asm volatile("" ::: "memory"); // not a tail call: the callee runs below the pad
}
struct Entry {
  std::string name;
  BenchmarkFn fn;
  long arg;
};

inline std::vector<Entry>& registry() {
  static std::vector<Entry> entries;
  return entries;
}

struct Registrar {
  Registrar(const char* name, BenchmarkFn fn) { registry().push_back({name, fn, 0}); }
  Registrar(const char* family, BenchmarkFn fn, std::initializer_list<long> args) {
    for (long a : args) registry().push_back({std::string(family) + "/" + std::to_string(a), fn, a});
  }
};

inline int usage(const char* program, int status) {
  std::fprintf(status ? stderr : stdout,
               "usage: %s --list | --run NAME | --calibrate NAME | --heap-count NAME | --heap NAME\n"
               "       | --serve REQUESTS\n"
               "       | --heap-peak NAME BALLAST_BYTES\n"
               "       | --time NAME ITERATIONS SAMPLES WARMUP_MS\n"
               "A ci-bench workload program: list it as a [[suite]] in ci-bench.toml.\n",
               program);
  return status;
}

inline int workload_main(int argc, char** argv);

// --heap-peak NAME BALLAST_BYTES: --heap NAME with a ballast. Apart from workload_main so that
// --run and --calibrate run exactly the instructions, on exactly the stack, they ran before it.
[[gnu::noinline]] inline int heap_peak_main(char** argv) {
  char* end = nullptr;
  heap_ballast_bytes = static_cast<size_t>(std::strtoull(argv[3], &end, 10));
  if (heap_ballast_bytes == 0 || *end != '\0') return usage(argv[0], 2);
  char* heap_argv[] = {argv[0], const_cast<char*>("--heap"), argv[2], nullptr};
  return workload_main(3, heap_argv);
}

// --heap-count NAME: --heap NAME with the counter's brackets, looked up before the benchmark runs
// (dlsym may allocate) and apart from workload_main for the same reason as heap_peak_main.
[[gnu::noinline]] inline int heap_count_main(char** argv) {
  heap_enter = reinterpret_cast<HeapHook>(dlsym(RTLD_DEFAULT, "cibench_heap_enter"));
  heap_leave = reinterpret_cast<HeapHook>(dlsym(RTLD_DEFAULT, "cibench_heap_leave"));
  if (!heap_enter || !heap_leave) {
    std::fprintf(stderr, "%s: --heap-count needs ci-bench's heap counter (libcibench-heap.so) loaded through LD_PRELOAD, "
                 "which a statically linked program ignores\n", argv[0]);
    return 4;
  }
  char* heap_argv[] = {argv[0], const_cast<char*>("--heap"), argv[2], nullptr};
  return workload_main(3, heap_argv);
}

} // namespace detail
} // namespace cibench

#include <cibench/workload_serve.hpp> // --serve, which needs the registry above

namespace cibench {
namespace detail {

inline int workload_main(int argc, char** argv) {
  if (argc == 4 && std::string_view(argv[1]) == "--heap-peak") return heap_peak_main(argv);
  if (argc == 3 && std::string_view(argv[1]) == "--heap-count") return heap_count_main(argv);
  if (argc == 3 && std::string_view(argv[1]) == "--serve") return serve_main(argv);
  const char* program = argc > 0 ? argv[0] : "workload";
  for (size_t i = 0; i < registry().size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (registry()[i].name == registry()[j].name) {
        std::fprintf(stderr, "%s: benchmark '%s' is registered twice\n", program, registry()[i].name.c_str());
        return 2;
      }
  if (argc == 2 && std::string_view(argv[1]) == "--list") {
    for (auto& e : registry()) std::printf("%s\n", e.name.c_str());
    return 0;
  }
  if (argc == 2 && (std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h"))
    return usage(program, 0);
  const bool timing = argc == 6 && std::string_view(argv[1]) == "--time";
  if (argc != 3 && !timing) return usage(program, 2);
  const std::string_view mode = argv[1];
  if (mode != "--run" && mode != "--calibrate" && mode != "--heap" && !timing) return usage(program, 2);
  const Entry* entry = nullptr;
  for (auto& e : registry())
    if (e.name == argv[2]) entry = &e;
  if (!entry) {
    std::fprintf(stderr, "%s: no benchmark named '%s' (see --list)\n", program, argv[2]);
    return 2;
  }
  // One run of the benchmark; returns the body's time, or -1 when measure() was misused.
  auto run_once = [&](Bench::Mode m) -> long long {
    Bench bench(m, entry->arg);
    call_page_aligned(entry->fn, bench);
    if (bench.measure_calls() != 1) {
      std::fprintf(stderr, "%s: benchmark '%s' called measure() %d times; call it exactly once\n", program,
                   entry->name.c_str(), bench.measure_calls());
      return -1;
    }
    return static_cast<long long>(bench.elapsed().count());
  };
  if (!timing)
    return run_once(mode == "--run" ? Bench::Mode::run : mode == "--heap" ? Bench::Mode::heap : Bench::Mode::calibrate) < 0 ? 3 : 0;

  const long long iterations = std::atoll(argv[3]), samples = std::atoll(argv[4]), warmup_ns = std::atoll(argv[5]) * 1'000'000;
  if (iterations < 1 || samples < 1 || warmup_ns < 0) return usage(program, 2);
  using clock = std::chrono::steady_clock;
  const auto warm_until = clock::now() + std::chrono::nanoseconds(warmup_ns);
  while (warmup_ns > 0 && clock::now() < warm_until) // by wall time: setup may dwarf the body
    if (run_once(Bench::Mode::time) < 0) return 3;
  for (long long s = 0; s < samples; ++s) {
    long long body = 0;
    const auto start = clock::now();
    for (long long i = 0; i < iterations; ++i) {
      long long t = run_once(Bench::Mode::time);
      if (t < 0) return 3;
      body += t;
    }
    const long long wall = std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - start).count();
    std::printf("%lld %lld\n", body, wall);
  }
  return 0;
}

} // namespace detail
} // namespace cibench

#define CIBENCH_CONCAT_(a, b) a##b
#define CIBENCH_CONCAT(a, b) CIBENCH_CONCAT_(a, b)

// Defines a benchmark: NAME is a string, BENCH the name of its cibench::Bench& parameter.
#define CIBENCH_BENCHMARK(NAME, BENCH)                                                                 \
  static void CIBENCH_CONCAT(cibench_benchmark_, __LINE__)(::cibench::Bench & BENCH);                \
  static const ::cibench::detail::Registrar CIBENCH_CONCAT(cibench_registrar_, __LINE__)(            \
      NAME, &CIBENCH_CONCAT(cibench_benchmark_, __LINE__));                                           \
  static void CIBENCH_CONCAT(cibench_benchmark_, __LINE__)(::cibench::Bench & BENCH)

// Defines one benchmark per argument, named NAME/ARG; BENCH.arg() gives the argument.
#define CIBENCH_BENCHMARK_FAMILY(NAME, BENCH, ...)                                                     \
  static void CIBENCH_CONCAT(cibench_benchmark_, __LINE__)(::cibench::Bench & BENCH);                \
  static const ::cibench::detail::Registrar CIBENCH_CONCAT(cibench_registrar_, __LINE__)(            \
      NAME, &CIBENCH_CONCAT(cibench_benchmark_, __LINE__), {__VA_ARGS__});                            \
  static void CIBENCH_CONCAT(cibench_benchmark_, __LINE__)(::cibench::Bench & BENCH)

#define CIBENCH_MAIN()                                                                                 \
  int main(int argc, char** argv) { return ::cibench::detail::workload_main(argc, argv); }

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
//   --calibrate NAME   setup and teardown only: under Cachegrind, ci-bench subtracts this run from
//                      --run, so process start-up, setup and teardown cost nothing in the counts.
// Under Callgrind (tool = "callgrind"), the body is bracketed by Callgrind's client requests and
// Valgrind runs with --instr-atstart=no, so one --run counts exactly the body.
//
// Calibration's blind spot: teardown whose cost depends on what the body did (destroying the
// container the body filled) differs between the two runs and is counted as the body's. Free such
// things inside the body, or measure that benchmark with tool = "callgrind".
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#if !defined(CIBENCH_NO_CALLGRIND) && __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define CIBENCH_REGION_BEGIN() CALLGRIND_START_INSTRUMENTATION
#define CIBENCH_REGION_END() CALLGRIND_STOP_INSTRUMENTATION
#else // without Valgrind's headers a Callgrind run counts nothing, and ci-bench reports that
#define CIBENCH_REGION_BEGIN() ((void)0)
#define CIBENCH_REGION_END() ((void)0)
#endif

namespace cibench {

// Makes the optimiser assume `value` is read (and, for a non-const lvalue, changed) here, so the
// work that produced it cannot be deleted. The same trick as Google Benchmark's DoNotOptimize.
template <class T> inline void black_box(const T& value) { asm volatile("" : : "r,m"(value) : "memory"); }
template <class T> inline void black_box(T& value) { asm volatile("" : "+r,m"(value) : : "memory"); }

class Bench {
public:
  Bench(bool run_body, long arg) : run_body_(run_body), arg_(arg) {}

  // The parameter of a family member (store.sqlite/3 -> 3); 0 for a plain benchmark.
  long arg() const { return arg_; }

  // Runs the measured region once. Call it exactly once per benchmark.
  template <class Body> void measure(Body&& body) {
    ++measure_calls_;
    if (!run_body_) return;
    CIBENCH_REGION_BEGIN(); // outside Valgrind, a few instructions that do nothing
    body();
    CIBENCH_REGION_END();
  }

  int measure_calls() const { return measure_calls_; }

private:
  bool run_body_;
  long arg_;
  int measure_calls_ = 0;
};

namespace detail {

using BenchmarkFn = void (*)(Bench&);
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
               "usage: %s --list | --run NAME | --calibrate NAME\n"
               "A ci-bench workload program: list it as a [[suite]] in ci-bench.toml.\n",
               program);
  return status;
}

inline int workload_main(int argc, char** argv) {
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
  if (argc != 3) return usage(program, 2);
  const std::string_view mode = argv[1];
  if (mode != "--run" && mode != "--calibrate") return usage(program, 2);
  for (auto& e : registry()) {
    if (e.name != argv[2]) continue;
    Bench bench(mode == "--run", e.arg);
    e.fn(bench);
    if (bench.measure_calls() != 1) {
      std::fprintf(stderr, "%s: benchmark '%s' called measure() %d times; call it exactly once\n", program,
                   e.name.c_str(), bench.measure_calls());
      return 3;
    }
    return 0;
  }
  std::fprintf(stderr, "%s: no benchmark named '%s' (see --list)\n", program, argv[2]);
  return 2;
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

#pragma once
// The driver's side of the protocol a workload built with <cibench/workload.hpp> answers (the
// header holds the other side):
//   PROGRAM --list                                   one benchmark name a line
//   PROGRAM --run NAME                               setup, body, teardown
//   PROGRAM --serve REQUESTS                         a forked child per request record, each as --run;
//                                                    "PID WAIT_STATUS TIMED_OUT NANOSECONDS" a line
//   PROGRAM --calibrate NAME                         setup and teardown only
//   PROGRAM --heap-count NAME                        as --run, the body between the heap counter's brackets
//   PROGRAM --heap NAME                              as --run, the body under cibench_heap_region()
//   PROGRAM --heap-peak NAME BALLAST_BYTES           as --heap, a ballast block held through the body,
//                                                    and exit right after it
//   PROGRAM --time NAME ITERATIONS SAMPLES WARMUP_MS SAMPLES lines "BODY_NS WALL_NS"
// and the environment every workload runs in.
#include "util/error.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cibench {

using Environment = std::map<std::string, std::string>;

// The environment a workload gets: nothing of ci-bench's own but LD_LIBRARY_PATH and LD_PRELOAD
// (as iai-callgrind keeps), plus what the config sets.
std::vector<std::string> workload_environment(const Environment& extra);

// The environment of a suite's region counted under Callgrind, served or not: the workload's, with
// LD_BIND_NOW=1 (unless the config sets it), so no body's first call of a library function counts
// the dynamic linker binding it, which would depend on what ran before the region.
std::vector<std::string> region_environment(const Environment& extra);

namespace suite_protocol {

std::vector<std::string> run_argv(const std::filesystem::path& program, const std::string& benchmark);
std::vector<std::string> serve_argv(const std::filesystem::path& program, const std::string& requests_file);

// One request of --serve: the benchmark, the absolute folder its child works in, its timeout, and
// where its output goes (OUTPUT.stdout, OUTPUT.stderr), in the header's fixed-size record. Throws
// Error(config) when they do not fit.
inline constexpr std::size_t kServeRecordBytes = 4096; // the header's kServeRecordBytes
std::string serve_record(const std::string& benchmark, const std::filesystem::path& folder, std::chrono::seconds timeout,
                         const std::filesystem::path& output);

// What --serve said of one child, a line each, in request order.
struct ServedChild {
  std::uint64_t pid = 0;
  int wait_status = 0; // as waitpid gives it
  bool timed_out = false;
  double seconds = 0;
};
struct ServeReport {
  std::vector<ServedChild> children;
  bool refused_threads = false; // threads were running at the fork point: nothing was served
};
// Reads --serve's stdout; a line it cannot read ends the report there.
ServeReport read_serve_report(const std::filesystem::path& stdout_file);

std::vector<std::string> heap_count_argv(const std::filesystem::path& program, const std::string& benchmark);
std::vector<std::string> heap_argv(const std::filesystem::path& program, const std::string& benchmark);
std::vector<std::string> heap_peak_argv(const std::filesystem::path& program, const std::string& benchmark,
                                        std::int64_t ballast_bytes);
std::vector<std::string> calibrate_argv(const std::filesystem::path& program, const std::string& benchmark);
std::vector<std::string> time_argv(const std::filesystem::path& program, const std::string& benchmark,
                                   long long iterations, long long samples, long long warmup_ms);

// Runs `program --list` in a sandbox and returns the names it prints. Throws Error(setup) naming
// the program and `where` (the config's line) when it cannot be run, fails, or lists nothing;
// `build_hint` follows "build your workloads first" when it cannot be run.
std::vector<std::string> list_benchmarks(const std::filesystem::path& program, const Environment& env,
                                         std::chrono::seconds timeout, const std::string& where,
                                         const std::string& build_hint = "");

// The header names each benchmark's body function after its source line (cibench_benchmark_30),
// which moves whenever a line is added above it. In a profile of one benchmark's run that name is
// this benchmark's body: `function` with it replaced by CIBENCH_BENCHMARK(NAME), stable across edits.
std::string stable_function_name(const std::string& function, const std::string& benchmark);

// The benchmark a profiled command line ran ("/tmp/.cibench-x/prog --run NAME" -> NAME), or "".
std::string benchmark_of_command(const std::string& command_line);

struct TimeSample {
  long long body_ns = 0;
  long long wall_ns = 0;
};

// The "BODY_NS WALL_NS" lines of a --time run.
std::vector<TimeSample> read_time_samples(const std::filesystem::path& stdout_file);

} // namespace suite_protocol
} // namespace cibench

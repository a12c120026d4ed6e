#include "wallclock/wall_clock.hpp"

#include "util/error.hpp"
#include "util/file_tail.hpp"
#include "exec/process.hpp"
#include "exec/sandbox.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace cibench {
using namespace std::chrono;

nanoseconds clock_resolution() {
  nanoseconds smallest = nanoseconds::max();
  for (int i = 0; i < 1000; ++i) {
    auto a = steady_clock::now(), b = steady_clock::now();
    while (b == a) b = steady_clock::now();
    smallest = std::min(smallest, duration_cast<nanoseconds>(b - a));
  }
  return smallest;
}

namespace {

// A line of workload output fit for an error message: cut short, every byte that is not printable
// ASCII shown as \xNN, so no escape sequence reaches the terminal.
std::string printable(const std::string& line) {
  std::string out;
  for (unsigned char c : line.substr(0, 80)) {
    if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else out += fmt::format("\\x{:02x}", c);
  }
  return line.size() > 80 ? out + "..." : out;
}

// Runs `argv` natively in a sandbox; returns its stdout's "BODY_NS WALL_NS" lines, or throws Error
// with its stderr. Any other line is an error: a workload that writes to stdout while timed would
// otherwise have its numbers read as timings.
std::vector<std::pair<long long, long long>> run_for_timings(const BenchmarkPlan& b, std::vector<std::string> argv) {
  Sandbox sandbox;
  argv[0] = sandbox.link_program(argv[0]).string();
  ProcessSpec spec{.argv = argv, .env = workload_environment(b.settings.env), .cwd = sandbox.dir(),
                   .stdout_file = sandbox.dir() / ".stdout", .stderr_file = sandbox.dir() / ".stderr",
                   .timeout = b.settings.timeout, .no_aslr = false};
  ProcessResult r = run_process(spec);
  if (!r.ok()) throw Error(fmt::format("workload {}\n{}", r.describe(), last_lines(spec.stderr_file)));
  std::vector<std::pair<long long, long long>> out;
  std::ifstream in(spec.stdout_file);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::istringstream fields(line);
    long long body = -1, wall = -1;
    std::string rest;
    if (!(fields >> body >> wall) || fields >> rest || body < 0 || wall < 0)
      throw Error(fmt::format("line {} of the workload's --time output is '{}', not 'BODY_NS WALL_NS' (a workload "
                              "must not write to stdout)",
                              number, printable(line)));
    out.emplace_back(body, wall);
  }
  return out;
}

void time_suite_benchmark(const BenchmarkPlan& b, const SamplingOptions& o, nanoseconds resolution, TimedBenchmark& t) {
  auto command = [&](long long iterations, long long samples, long long warmup_ms) {
    return std::vector<std::string>{b.command[0], "--time", b.name, std::to_string(iterations), std::to_string(samples),
                                    std::to_string(warmup_ms)};
  };
  // The probe: one run, after the warm-up. Lines are "BODY_NS WALL_NS".
  auto probe = run_for_timings(b, command(1, 1, o.warmup.count()));
  if (probe.size() != 1)
    throw Error(fmt::format("asked for one timing, the workload printed {}: is it built with the current workload header?",
                            probe.size()));
  const double body = std::max<double>(static_cast<double>(probe[0].first), 1.0);
  const double wall = std::max<double>(static_cast<double>(probe[0].second), body);
  const double target = static_cast<double>(nanoseconds(o.sample_target).count());
  // Batch runs until the body's time in a sample reaches the target, but never spend more than
  // ten targets of wall time (setup and teardown run every time) on one sample.
  const long long wanted = static_cast<long long>(std::ceil(target / body));
  const long long affordable = std::max<long long>(1, static_cast<long long>(10 * target / wall));
  t.iterations = std::clamp<long long>(wanted, 1, affordable);
  const double batch_body = body * static_cast<double>(t.iterations);
  if (body < 1000.0 * static_cast<double>(resolution.count()))
    t.note = fmt::format("one run of the body takes {:.0f} ns, under 1000x the clock's resolution ({} ns): timed in "
                         "batches of {}{}",
                         body, resolution.count(), t.iterations,
                         batch_body < 1000.0 * static_cast<double>(resolution.count())
                             ? fmt::format(" (still only {:.0f} ns a sample: setup makes larger batches too slow, so "
                                           "treat these figures as rough)", batch_body)
                             : "");
  const double per_sample = wall * static_cast<double>(t.iterations);
  const long long samples =
      std::clamp<long long>(static_cast<long long>(static_cast<double>(nanoseconds(o.budget).count()) / per_sample),
                            o.min_samples, o.max_samples);
  auto timings = run_for_timings(b, command(t.iterations, samples, o.warmup.count()));
  // Fewer lines than asked means the workload stopped early (or is not built with this header):
  // its figures would describe an unknown part of the run.
  if (timings.size() != static_cast<size_t>(samples))
    throw Error(fmt::format("asked for {} samples, the workload printed {}{}", samples, timings.size(),
                            timings.empty() ? " (no samples: nothing to time)" : ""));
  for (auto [body_ns, wall_ns] : timings)
    t.ns_per_iteration.push_back(static_cast<double>(body_ns) / static_cast<double>(t.iterations));
}

void time_plain_command(const BenchmarkPlan& b, const SamplingOptions& o, TimedBenchmark& t) {
  Sandbox sandbox;
  std::vector<std::string> argv = b.command;
  argv[0] = sandbox.link_program(argv[0]).string();
  ProcessSpec spec{.argv = argv, .env = workload_environment(b.settings.env), .cwd = sandbox.dir(),
                   .stdout_file = sandbox.dir() / ".stdout", .stderr_file = sandbox.dir() / ".stderr",
                   .timeout = b.settings.timeout, .no_aslr = false};
  auto once = [&] {
    ProcessResult r = run_process(spec);
    if (!r.ok()) throw Error(fmt::format("workload {}", r.describe()));
    return r.seconds * 1e9;
  };
  const double first = once(); // the warm-up run
  t.note = "a plain command: each sample is one whole process, start-up included";
  const int samples = std::clamp(static_cast<int>(static_cast<double>(nanoseconds(o.budget).count()) / first), o.min_samples,
                                 o.max_samples);
  for (int i = 0; i < samples; ++i) t.ns_per_iteration.push_back(once());
}

} // namespace

TimedBenchmark time_benchmark(const BenchmarkPlan& b, const SamplingOptions& o, nanoseconds resolution) {
  TimedBenchmark t;
  t.name = b.name;
  if (!b.setup_error.empty()) {
    t.error = b.setup_error;
    return t;
  }
  try {
    if (b.isolate_region) time_suite_benchmark(b, o, resolution, t);
    else time_plain_command(b, o, t);
  } catch (const Error& e) {
    t.error = e.what();
    t.ns_per_iteration.clear();
  }
  if (t.error.empty() && t.ns_per_iteration.size() < kMinSamples)
    t.error = fmt::format("{} sample(s): the statistics need at least {}", t.ns_per_iteration.size(), kMinSamples);
  return t;
}

} // namespace cibench

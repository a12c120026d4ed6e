#include "wallclock/wall_clock.hpp"

#include "util/error.hpp"
#include "util/file_tail.hpp"
#include "exec/process.hpp"
#include "exec/sandbox.hpp"
#include "exec/suite_protocol.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>

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

// Runs a suite's --time natively in a sandbox; returns its samples, or throws Error with its stderr.
std::vector<suite_protocol::TimeSample> run_timed(const BenchmarkPlan& b, long long iterations, long long samples,
                                                  long long warmup_ms) {
  Sandbox sandbox;
  const auto program = sandbox.link_program(b.program);
  ProcessSpec spec{.argv = suite_protocol::time_argv(program, b.name, iterations, samples, warmup_ms),
                   .env = workload_environment(b.settings.env), .cwd = sandbox.dir(),
                   .stdout_file = sandbox.dir() / ".stdout", .stderr_file = sandbox.dir() / ".stderr",
                   .timeout = b.settings.timeout, .no_aslr = false};
  ProcessResult r = run_process(spec);
  if (!r.ok()) throw Error(r.failure_kind(), fmt::format("workload {}\n{}", r.describe(), last_lines(spec.stderr_file)));
  return suite_protocol::read_time_samples(spec.stdout_file);
}

void time_suite_benchmark(const BenchmarkPlan& b, const SamplingOptions& o, nanoseconds resolution, TimedBenchmark& t) {
  // The probe: one run, after the warm-up.
  auto probe = run_timed(b, 1, 1, o.warmup.count());
  if (probe.size() != 1)
    throw Error(ErrorKind::parse, fmt::format("asked for one timing, the workload printed {}: is it built with the current workload header?",
                            probe.size()));
  const double body = std::max<double>(static_cast<double>(probe[0].body_ns), 1.0);
  const double wall = std::max<double>(static_cast<double>(probe[0].wall_ns), body);
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
  auto timings = run_timed(b, t.iterations, samples, o.warmup.count());
  // Fewer lines than asked means the workload stopped early (or is not built with this header):
  // its figures would describe an unknown part of the run.
  if (timings.size() != static_cast<size_t>(samples))
    throw Error(ErrorKind::parse, fmt::format("asked for {} samples, the workload printed {}{}", samples, timings.size(),
                            timings.empty() ? " (no samples: nothing to time)" : ""));
  for (auto& sample : timings)
    t.ns_per_iteration.push_back(static_cast<double>(sample.body_ns) / static_cast<double>(t.iterations));
}

void time_plain_command(const BenchmarkPlan& b, const SamplingOptions& o, TimedBenchmark& t) {
  Sandbox sandbox;
  std::vector<std::string> argv = {sandbox.link_program(b.program).string()};
  argv.insert(argv.end(), b.arguments.begin(), b.arguments.end());
  ProcessSpec spec{.argv = argv, .env = workload_environment(b.settings.env), .cwd = sandbox.dir(),
                   .stdout_file = sandbox.dir() / ".stdout", .stderr_file = sandbox.dir() / ".stderr",
                   .timeout = b.settings.timeout, .no_aslr = false};
  auto once = [&] {
    ProcessResult r = run_process(spec);
    if (!r.ok()) throw Error(r.failure_kind(), fmt::format("workload {}", r.describe()));
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
  if (b.setup_failure) {
    t.error = b.setup_failure->message;
    return t;
  }
  try {
    if (b.has_region()) time_suite_benchmark(b, o, resolution, t);
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

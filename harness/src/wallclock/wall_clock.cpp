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
namespace fs = std::filesystem;
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

// The program linked into `sandbox`, with the benchmark's inputs beside it, as `run` measures it.
fs::path prepare(const Sandbox& sandbox, const BenchmarkPlan& b) {
  fs::path program = sandbox.link_program(b.program);
  sandbox.copy_inputs(b.settings.inputs, b.source);
  return program;
}

// Runs a suite's --time natively in a sandbox; returns its samples, or throws Error with its stderr.
std::vector<suite_protocol::TimeSample> run_timed(const BenchmarkPlan& b, long long iterations, long long samples,
                                                  long long warmup_ms) {
  Sandbox sandbox;
  const auto program = prepare(sandbox, b);
  ProcessSpec spec{.argv = suite_protocol::time_argv(program, b.name, iterations, samples, warmup_ms),
                   .env = workload_environment(b.settings.env), .cwd = sandbox.dir(),
                   .stdout_file = sandbox.dir() / ".stdout", .stderr_file = sandbox.dir() / ".stderr",
                   .timeout = b.settings.timeout, .no_aslr = false};
  ProcessResult r = run_process(spec);
  if (!r.ok()) throw Error(r.failure_kind(), fmt::format("workload {}\n{}", r.describe(), last_lines(spec.stderr_file)));
  return suite_protocol::read_time_samples(spec.stdout_file);
}

// Runs a plain command, already linked into `sandbox` as `program`, once; returns its wall time in ns.
double run_command_once(const BenchmarkPlan& b, const Sandbox& sandbox, const fs::path& program) {
  std::vector<std::string> argv = {program.string()};
  argv.insert(argv.end(), b.arguments.begin(), b.arguments.end());
  ProcessSpec spec{.argv = argv, .env = workload_environment(b.settings.env), .cwd = sandbox.dir(),
                   .stdout_file = sandbox.dir() / ".stdout", .stderr_file = sandbox.dir() / ".stderr",
                   .timeout = b.settings.timeout, .no_aslr = false};
  ProcessResult r = run_process(spec);
  if (!r.ok()) throw Error(r.failure_kind(), fmt::format("workload {}", r.describe()));
  return r.seconds * 1e9;
}

Batch choose_suite_batch(const BenchmarkPlan& b, const SamplingOptions& o, nanoseconds resolution) {
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
  Batch batch;
  const long long wanted = static_cast<long long>(std::ceil(target / body));
  const long long affordable = std::max<long long>(1, static_cast<long long>(10 * target / wall));
  batch.iterations = std::clamp<long long>(wanted, 1, affordable);
  batch.sample_wall_ns = wall * static_cast<double>(batch.iterations);
  const double batch_body = body * static_cast<double>(batch.iterations);
  if (body < 1000.0 * static_cast<double>(resolution.count()))
    batch.note = fmt::format("one run of the body takes {:.0f} ns, under 1000x the clock's resolution ({} ns): timed in "
                             "batches of {}{}",
                             body, resolution.count(), batch.iterations,
                             batch_body < 1000.0 * static_cast<double>(resolution.count())
                                 ? fmt::format(" (still only {:.0f} ns a sample: setup makes larger batches too slow, so "
                                               "treat these figures as rough)", batch_body)
                                 : "");
  return batch;
}

} // namespace

Batch choose_batch(const BenchmarkPlan& b, const SamplingOptions& o, nanoseconds resolution) {
  if (b.has_region()) return choose_suite_batch(b, o, resolution);
  Sandbox sandbox;
  return {.iterations = 1, .sample_wall_ns = run_command_once(b, sandbox, prepare(sandbox, b)),
          .note = "a plain command: each sample is one whole process, start-up included"};
}

std::vector<double> time_samples(const BenchmarkPlan& b, long long iterations, long long samples, milliseconds warmup) {
  std::vector<double> out;
  if (!b.has_region()) {
    Sandbox sandbox;
    const fs::path program = prepare(sandbox, b);
    if (warmup.count() > 0) run_command_once(b, sandbox, program);
    for (long long i = 0; i < samples; ++i) out.push_back(run_command_once(b, sandbox, program));
    return out;
  }
  auto timings = run_timed(b, iterations, samples, warmup.count());
  // Fewer lines than asked means the workload stopped early (or is not built with this header):
  // its figures would describe an unknown part of the run.
  if (timings.size() != static_cast<size_t>(samples))
    throw Error(ErrorKind::parse, fmt::format("asked for {} samples, the workload printed {}{}", samples, timings.size(),
                            timings.empty() ? " (no samples: nothing to time)" : ""));
  for (auto& sample : timings) out.push_back(static_cast<double>(sample.body_ns) / static_cast<double>(iterations));
  return out;
}

namespace {

void time_one(const BenchmarkPlan& b, const SamplingOptions& o, nanoseconds resolution, TimedBenchmark& t) {
  const Batch batch = choose_batch(b, o, resolution);
  t.iterations = batch.iterations;
  t.note = batch.note;
  const long long samples = std::clamp<long long>(
      static_cast<long long>(static_cast<double>(nanoseconds(o.budget).count()) / std::max(batch.sample_wall_ns, 1.0)),
      o.min_samples, o.max_samples);
  // A suite's samples come from a new process, which warms up again; a command's probe was its warm-up.
  t.ns_per_iteration = time_samples(b, batch.iterations, samples, b.has_region() ? o.warmup : milliseconds(0));
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
    time_one(b, o, resolution, t);
  } catch (const Error& e) {
    t.error = e.what();
    t.ns_per_iteration.clear();
  }
  if (t.error.empty() && t.ns_per_iteration.size() < kMinSamples)
    t.error = fmt::format("{} sample(s): the statistics need at least {}", t.ns_per_iteration.size(), kMinSamples);
  return t;
}

} // namespace cibench

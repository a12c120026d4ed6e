#include "measure/measure.hpp"

#include "exec/process.hpp"
#include "exec/sandbox.hpp"
#include "exec/suite_protocol.hpp"
#include "measure/artifact_size.hpp"
#include "measure/metric_producers.hpp"
#include "measure/serve_run.hpp"
#include "measure/source_text.hpp"
#include "measure/syscall_trace.hpp"
#include "elf/elf_comment.hpp"
#include "util/file_tail.hpp"
#include "util/utf8.hpp"
#include "valgrind/output_files.hpp"
#include "valgrind/tool.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

namespace cibench {
namespace fs = std::filesystem;
namespace {

// Valgrind's account of a crash: "Process terminating with default action of signal 11" and the
// stack under it.
std::string crash_report(const fs::path& valgrind_log) {
  std::ifstream in(valgrind_log);
  std::string out;
  int keep = 0;
  for (std::string l; std::getline(in, l);) {
    if (l.find("Process terminating") != std::string::npos) keep = 8;
    if (keep-- > 0) out += "  | " + printable_line(l, 300) + "\n";
  }
  return out;
}

// A process's command as Valgrind logged it, with the sandbox's random folder taken out, so that it
// reads the same in every run: the program's link names the program, other paths are relative.
std::string stable_command(std::string command, const fs::path& sandbox, const fs::path& program, const fs::path& link) {
  if (command.starts_with(link.string())) command.replace(0, link.string().size(), program.string());
  const std::string folder = sandbox.string() + "/";
  for (size_t at; (at = command.find(folder)) != std::string::npos;) command.erase(at, folder.size());
  return valid_utf8(command);
}

} // namespace

std::vector<RunProcess> run_under_valgrind(const BenchmarkPlan& b, std::vector<std::string> argv, std::vector<std::string> env,
                                           const fs::path& cwd, const RunFiles& files, std::string_view which,
                                           std::string_view hint, Measurement& m) {
  ProcessSpec spec{.argv = std::move(argv),
                   .env = std::move(env),
                   .cwd = cwd,
                   .stdout_file = files.stdout_file(),
                   .stderr_file = files.stderr_file(),
                   .timeout = b.settings.timeout};
  files.remove_stale();
  const ProcessResult r = run_process(spec);
  m.seconds += r.seconds;
  const std::vector<RunProcess> processes = settle_run(files, m);
  if (!r.ok()) throw run_failure(b, r, files, which, hint);
  require_counts(processes, files, traces_children(b));
  return processes;
}

Error run_failure(const BenchmarkPlan& b, const ProcessResult& r, const RunFiles& files, std::string_view which, std::string_view hint) {
  if (r.outcome == ProcessResult::Outcome::timed_out)
    return Error(ErrorKind::timeout, fmt::format("timed out after {} s{} and was killed; raise `timeout` ({})",
                                                 b.settings.timeout.count(), which, b.source));
  std::string e = fmt::format("workload {}{}{}\n", r.describe(), which, hint);
  const std::vector<fs::path> logs = run_logs(files);
  for (size_t n = 0; n < logs.size(); ++n)
    if (auto crash = crash_report(logs[n]); !crash.empty())
      e += (n == 0 ? std::string("valgrind log:\n") : fmt::format("valgrind log of process {}:\n", n)) + crash;
  if (auto tail = last_lines(files.stderr_file(), 12); !tail.empty()) e += "stderr (last lines):\n" + tail;
  else if (r.outcome == ProcessResult::Outcome::exited) e += "valgrind log (last lines):\n" + last_lines(files.valgrind_log(), 6);
  return Error(r.failure_kind(), e);
}

RunCounts counts_of_run(const BenchmarkPlan& b, const MeasureContext& ctx, const ValgrindTool& tool, const RunFiles& files,
                        const std::vector<RunProcess>& processes, const SyscallTrace& trace, const fs::path& sandbox,
                        const fs::path& program) {
  const bool region_only = b.has_region() && tool.counts_region_in_one_run();
  RunCounts counts;
  // Observed now, after the run, with an observer of its own: never a state another benchmark's
  // run (or the reuse check before it) saw of a file that may have changed since.
  Observer observer;
  counts.manifest = make_manifest(trace, b.program, observer);
  for (auto& p : processes) {
    if (!p.wrote_profile) continue;
    const Profile profile = tool.read(files.profile(p.order));
    tool.check(profile, ctx.settings, region_only, files.profile(p.order));
    const Metrics events = profile.totals_by_event();
    for (auto& [event, count] : events) counts.events[event] += count;
    if (!b.has_region()) counts.processes.push_back({.command = stable_command(p.command, sandbox, b.program, program), .pid_order = p.order, .events = events});
    for (auto& [function, count] : function_instructions(profile, ctx.project_dir))
      counts.functions[b.has_region() ? suite_protocol::stable_function_name(function, b.name) : function] += count;
    SourceLines lines = line_instructions(profile, ctx.project_dir);
    if (b.has_region())
      for (auto& [key, line] : lines)
        for (auto& function : line.functions) function = suite_protocol::stable_function_name(function, b.name);
    add_lines(counts.lines, lines);
  }
  return counts;
}

namespace {

RunCounts run_once(const BenchmarkPlan& b, const MeasureContext& ctx, const ValgrindTool& tool, RunRole role, Measurement& m) {
  const RunFiles files(ctx.out_dir, b.name, role, tool.name());
  Sandbox sandbox;
  const fs::path program = sandbox.link_program(b.program, ctx.build_hint);
  // A region Callgrind counts in one run works where a served run's child would: the same path length.
  const bool region_only = b.has_region() && tool.counts_region_in_one_run();
  const fs::path folder = region_only ? work_folder() : fs::path();
  sandbox.copy_inputs(b.settings.inputs, b.source, folder);
  const char* which = role == RunRole::calibration ? " (calibration run, --calibrate)" : "";
  const std::vector<RunProcess> processes =
      run_under_valgrind(b, run_command_line(b, ctx, tool, role, files, program),
                         region_only ? region_environment(b.settings.env) : workload_environment(b.settings.env),
                         sandbox.dir() / folder, files, which, "", m);
  return counts_of_run(b, ctx, tool, files, processes, read_syscall_trace(run_logs(files), sandbox.dir(), program, folder),
                       sandbox.dir(), program);
}

// The region's counts: the run with the body minus the run without it. An event that is zero
// stays (it is a measurement); a function that cancels out goes. A calibration that costs more
// than the run (a program that is not a suite ignores --run and --calibrate) is an error.
void subtract(RunCounts& from, const RunCounts& what, const BenchmarkPlan& b, const MeasureContext& ctx, std::string_view tool) {
  Metrics region = from.events;
  for (auto& [key, count] : what.events) region[key] -= count;
  const auto impossible = [&](const std::string& metric, std::int64_t value) {
    return Error(ErrorKind::setup,
                 fmt::format("impossible counts: {} is {} (the --run run {} minus the --calibrate run {}): does {} "
                             "speak the suite protocol (--list, --run, --calibrate)? Files: {}, {}",
                             metric, value, with_derived(from.events)[metric], with_derived(what.events)[metric],
                             b.program.string(), RunFiles(ctx.out_dir, b.name, RunRole::measured, tool).profile().filename().string(),
                             RunFiles(ctx.out_dir, b.name, RunRole::calibration, tool).profile().filename().string()));
  };
  // What the region executes cannot be negative.
  for (auto& metric : {"Ir", "total_rw"})
    if (auto value = with_derived(region)[metric]; value < 0) throw impossible(metric, value);
  // Raw miss events may dip below zero by a few (the two runs' layouts differ), and a hit count
  // derived from them with them; with_derived floors it at 0. A dip past that noise (16, or 1 % of
  // what the calibration counted) is a calibration that did more than the run: not a region.
  const Metrics calibration = with_derived(what.events);
  for (auto& [metric, value] : negative_hits(region))
    if (-value > std::max<std::int64_t>(16, calibration.at(metric) / 100)) throw impossible(metric, value);
  from.events = std::move(region);
  // Reuse stands for both runs: the calibration's files are part of what decides the counts.
  from.manifest.manifest.insert(what.manifest.manifest.begin(), what.manifest.manifest.end());
  from.manifest.unprovable.insert(from.manifest.unprovable.end(), what.manifest.unprovable.begin(), what.manifest.unprovable.end());
  if (!from.manifest.unprovable.empty()) from.manifest.manifest.clear();
  for (auto& [key, count] : what.functions) from.functions[key] -= count;
  std::erase_if(from.functions, [](auto& kv) { return kv.second == 0; });
  // A line the calibration ran more often than the run (start-up noise) is not the region's.
  for (auto& [key, line] : what.lines)
    if (auto it = from.lines.find(key); it != from.lines.end()) it->second.instructions -= line.instructions;
  std::erase_if(from.lines, [](auto& kv) { return kv.second.instructions <= 0; });
}

// The counts of every run of the benchmark: the region's, for a suite benchmark under a tool that
// needs calibration.
RunCounts count(const BenchmarkPlan& b, const MeasureContext& ctx, const ValgrindTool& tool, Measurement& m) {
  RunCounts counts = run_once(b, ctx, tool, RunRole::measured, m);
  if (b.has_region() && !tool.counts_region_in_one_run())
    subtract(counts, run_once(b, ctx, tool, RunRole::calibration, m), b, ctx, tool.name());
  return counts;
}

} // namespace

std::vector<std::string> moved_events(const Metrics& first, const Metrics& second, std::string_view first_how,
                                      std::string_view second_how) {
  std::vector<std::string> moved;
  for (auto& [event, count] : first)
    if (auto it = second.find(event); it == second.end() || it->second != count)
      moved.push_back(fmt::format("{} {}{} then {}{}", event, count, first_how,
                                  it == second.end() ? std::string("none") : std::to_string(it->second), second_how));
  return moved;
}

// A plain benchmark's processes are all counted, unless its config says trace_children = false.
bool traces_children(const BenchmarkPlan& b) { return !b.has_region() && b.settings.trace_children; }

// Only a process the config chose not to follow (trace_children = false) may go uncounted, never
// the top one.
void require_counts(const std::vector<RunProcess>& processes, const RunFiles& files, bool trace_children) {
  if (processes.empty())
    throw Error(ErrorKind::parse, fmt::format("{}: Valgrind wrote no log, so nothing was counted", files.valgrind_log().string()));
  for (auto& p : processes) {
    if (p.wrote_profile || (!trace_children && p.order > 0)) continue;
    if (p.order == 0 && !trace_children)
      throw Error(ErrorKind::parse, fmt::format("the program `{}` replaced itself with another (exec), which trace_children = false does not follow; "
                       "remove that line to measure it (log: {})",
                       printable_line(p.command, 200), files.valgrind_log(0).filename().string()));
    throw Error(ErrorKind::parse,
                fmt::format("process {} (`{}`) left no counts: was it killed, or still running when the top process ended? "
                            "Every process of a benchmark is counted (log: {})",
                            p.order, printable_line(p.command, 200), files.valgrind_log(p.order).filename().string()));
  }
}

std::vector<RunProcess> settle_run(const RunFiles& files, Measurement& m) {
  std::vector<RunProcess> processes = files.settle_processes();
  for (auto& p : processes) {
    for (auto& f : profile_parts(files.profile(p.order))) m.files.push_back(f.filename().string());
    m.files.push_back(files.valgrind_log(p.order).filename().string());
  }
  for (auto& f : {files.stdout_file(), files.stderr_file()}) m.files.push_back(f.filename().string());
  return processes;
}

std::string tool_of(const BenchmarkPlan& b, const MeasureContext& ctx) { return ctx.tool_override.value_or(b.settings.tool); }

Toolchain toolchain_of(const BenchmarkPlan& b, const MeasureContext& ctx) {
  Toolchain t = ctx.host;
  t.tool = tool_of(b, ctx);
  t.compiler = elf_comment(b.program);
  return t;
}

std::vector<std::string> run_command_line(const BenchmarkPlan& b, const MeasureContext& ctx, const ValgrindTool& tool,
                                          RunRole role, const RunFiles& files, const fs::path& program) {
  std::vector<std::string> program_argv;
  if (!b.has_region()) {
    program_argv = {program.string()};
    program_argv.insert(program_argv.end(), b.arguments.begin(), b.arguments.end());
  } else if (role == RunRole::calibration) {
    program_argv = suite_protocol::calibrate_argv(program, b.name);
  } else {
    program_argv = suite_protocol::run_argv(program, b.name);
  }
  const bool region_only = b.has_region() && tool.counts_region_in_one_run();
  auto argv = valgrind_argv(ctx.valgrind, tool, ctx.settings, files, region_only, traces_children(b), program_argv);
  // Valgrind's account of every file the client asks for: the run's manifest (syscall_trace.hpp).
  // It is Valgrind's own output and leaves the client's counts as they are.
  argv.insert(argv.begin() + 2, "--trace-syscalls=yes");
  return argv;
}

std::vector<RunRole> run_roles(const BenchmarkPlan& b, const ValgrindTool& tool) {
  if (b.has_region() && !tool.counts_region_in_one_run()) return {RunRole::measured, RunRole::calibration};
  return {RunRole::measured};
}

void measure_counts(const BenchmarkPlan& b, const MeasureContext& ctx, Measurement& m) {
  const ValgrindTool& tool = valgrind_tool(m.tool);
  RunCounts counts = count(b, ctx, tool, m);
  if (ctx.verify) {
    Measurement again; // its files overwrite the first run's: the same names, the same content if stable
    m.unstable_events = moved_events(counts.events, count(b, ctx, tool, again).events);
    m.seconds += again.seconds;
  }
  record_counts(std::move(counts), m);
}

void take_served_counts(const ServedCounts& served, Measurement& m) {
  m.seconds += served.seconds;
  m.files.insert(m.files.end(), served.files.begin(), served.files.end());
  if (served.failure) throw Error(served.failure->kind, served.failure->message);
  if (served.again) m.unstable_events = moved_events(served.counts.events, served.again->events);
  record_counts(served.counts, m);
}

void record_counts(RunCounts counts, Measurement& m) {
  m.floored_metrics = floored_hits(counts.events);
  m.events = std::move(counts.events);
  m.functions = std::move(counts.functions);
  m.lines = std::move(counts.lines);
  m.manifest = std::move(counts.manifest.manifest);
  for (auto& why : counts.manifest.unprovable) // each reason once, in the order the run gave them
    if (std::find(m.reuse_blocked.begin(), m.reuse_blocked.end(), why) == m.reuse_blocked.end()) m.reuse_blocked.push_back(why);
  m.uncounted_before_exec = std::move(counts.manifest.execs);
  m.processes = std::move(counts.processes);
}

Measurement measure(const BenchmarkPlan& b, const MeasureContext& ctx, const ServedCounts* served) {
  Measurement m;
  m.name = b.name;
  m.tool = tool_of(b, ctx);
  m.toolchain = ctx.host;
  m.toolchain.tool = m.tool;
  if (b.setup_failure) {
    m.failure = b.setup_failure;
    return m;
  }
  try {
    if (b.kind == BenchmarkPlan::Kind::artifact) check_artifact_file(b); // before toolchain_of() opens it
    m.toolchain = toolchain_of(b, ctx);
    for (const MetricProducer* producer : metric_producers()) {
      if (!producer->measures(b)) continue;
      if (served && producer->source() == MetricSource::count_run) take_served_counts(*served, m);
      else producer->produce(b, ctx, m);
    }
    identify_lines(m.lines, ctx.project_dir);
  } catch (const Error& e) {
    m.failure = to_failure(e);
  } catch (const std::exception& e) { // a filesystem_error, say: this benchmark's fault, not the run's
    m.failure = Failure{ErrorKind::internal, e.what()};
  }
  return m;
}

namespace {

// One piece of a worker's work: a served run of several benchmarks, or one benchmark.
struct Task {
  std::vector<size_t> benchmarks; // indices into the plan
  bool served = false;
  size_t number = 0; // a served run's: 1, 2, ... in this ci-bench run, which names its files
};

// Each worker's tasks. Benchmarks go, longest first (by recorded seconds), to the worker with the
// least work so far; a worker's servable benchmarks of one serve_key share one served run. So a
// suite starts under Valgrind at most once per worker, and the longest benchmark does not leave
// the other worker idle at the end.
std::vector<std::vector<Task>> assign_tasks(const std::vector<BenchmarkPlan>& plan, const MeasureContext& ctx, unsigned workers,
                                            const std::vector<double>& costs) {
  const auto cost = [&](size_t i) { return i < costs.size() && costs[i] > 0 ? costs[i] : 1.0; };
  std::vector<size_t> order(plan.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return cost(a) > cost(b); });
  std::vector<double> load(workers, 0.0);
  std::vector<std::vector<Task>> tasks(workers);
  std::vector<std::map<std::string, size_t>> served_task(workers); // serve_key -> its task
  size_t served_runs = 0;
  for (size_t i : order) {
    const size_t w = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[w] += cost(i);
    if (!servable(plan[i], ctx)) {
      tasks[w].push_back({.benchmarks = {i}, .served = false});
      continue;
    }
    auto [at, fresh] = served_task[w].try_emplace(serve_key(plan[i], ctx), tasks[w].size());
    if (fresh) tasks[w].push_back({.benchmarks = {}, .served = true, .number = ++served_runs});
    tasks[w][at->second].benchmarks.push_back(i);
  }
  return tasks;
}

} // namespace

MeasurementSet measure_all(const std::vector<BenchmarkPlan>& plan, const MeasureContext& ctx, unsigned jobs,
                           const std::function<void(const Measurement&)>& done, const std::vector<double>& costs) {
  MeasurementSet set;
  set.host = ctx.host;
  set.measurements.resize(plan.size());
  const unsigned workers = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(plan.size())));
  const std::vector<std::vector<Task>> tasks = assign_tasks(plan, ctx, workers, costs);
  remove_stale_served_files(ctx.out_dir);
  std::mutex report;
  const auto finish = [&](size_t i, const ServedCounts* served) {
    set.measurements[i] = measure(plan[i], ctx, served);
    std::lock_guard lock(report);
    done(set.measurements[i]);
  };
  auto worker = [&](size_t w) {
    for (const Task& task : tasks[w]) {
      if (!task.served) {
        finish(task.benchmarks.front(), nullptr);
        continue;
      }
      std::vector<const BenchmarkPlan*> chunk;
      for (size_t i : task.benchmarks) chunk.push_back(&plan[i]);
      ServeOutcome outcome;
      try {
        outcome = serve(chunk, ctx, fmt::format("{}.{}", chunk.front()->program.filename().string(), task.number));
      } catch (const Error& e) { // no program to start, say: each benchmark's error, as on its own
        outcome.results.assign(chunk.size(), served_failure(to_failure(e)));
      } catch (const std::exception& e) { // a filesystem_error: the same, never the whole run's end
        outcome.results.assign(chunk.size(), served_failure(Failure{ErrorKind::internal, e.what()}));
      }
      if (!outcome.fallback.empty()) {
        std::lock_guard lock(report);
        fmt::print(stderr, "ci-bench: {}: one process per benchmark for {} of its benchmarks: {}\n",
                   printable(chunk.front()->program.string()),
                   std::count(outcome.results.begin(), outcome.results.end(), std::nullopt), printable(outcome.fallback));
      }
      for (size_t k = 0; k < chunk.size(); ++k) finish(task.benchmarks[k], outcome.results[k] ? &*outcome.results[k] : nullptr);
    }
  };
  {
    std::vector<std::jthread> threads;
    for (size_t w = 0; w < workers; ++w) threads.emplace_back(worker, w);
  } // joined here, before the set is handed out
  return set;
}

} // namespace cibench

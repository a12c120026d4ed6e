#include "measure/measure.hpp"

#include "exec/process.hpp"
#include "exec/sandbox.hpp"
#include "exec/suite_protocol.hpp"
#include "measure/artifact_size.hpp"
#include "measure/heap_run.hpp"
#include "util/elf_comment.hpp"
#include "util/file_tail.hpp"
#include "util/utf8.hpp"
#include "valgrind/output_files.hpp"
#include "valgrind/tool.hpp"

#include <algorithm>
#include <atomic>
#include <fmt/format.h>
#include <fstream>
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

struct Counts {
  Metrics events;
  FunctionInstructions functions;
};

// One Valgrind run of the benchmark; throws Error with the kind of fault.
Counts run_once(const BenchmarkPlan& b, const MeasureContext& ctx, const ValgrindTool& tool, RunRole role, Measurement& m) {
  const RunFiles files = run_files(ctx.out_dir, b.name, role, tool.name());
  Sandbox sandbox;
  const fs::path program = sandbox.link_program(b.program, ctx.build_hint);
  sandbox.copy_inputs(b.settings.inputs, b.source);
  const bool region_only = b.has_region() && tool.counts_region_in_one_run();
  ProcessSpec spec{.argv = run_command_line(b, ctx, tool, role, files, program),
                   .env = workload_environment(b.settings.env),
                   .cwd = sandbox.dir(),
                   .stdout_file = files.stdout_file,
                   .stderr_file = files.stderr_file,
                   .timeout = b.settings.timeout};
  for (auto& f : profile_parts(files.profile)) fs::remove(f);
  fs::remove(files.valgrind_log);
  for (auto& f : {files.profile, files.valgrind_log, files.stdout_file, files.stderr_file})
    m.files.push_back(f.filename().string());
  const char* which = role == RunRole::calibration ? " (calibration run, --calibrate)" : "";

  ProcessResult r = run_process(spec);
  m.seconds += r.seconds;
  if (r.outcome == ProcessResult::Outcome::timed_out)
    throw Error(ErrorKind::timeout, fmt::format("timed out after {} s{} and was killed; raise `timeout` ({})",
                                                b.settings.timeout.count(), which, b.source));
  if (!r.ok()) {
    std::string e = fmt::format("workload {}{}\n", r.describe(), which);
    if (auto crash = crash_report(files.valgrind_log); !crash.empty()) e += "valgrind log:\n" + crash;
    if (auto tail = last_lines(files.stderr_file, 12); !tail.empty()) e += "stderr (last lines):\n" + tail;
    else if (r.outcome == ProcessResult::Outcome::exited) e += "valgrind log (last lines):\n" + last_lines(files.valgrind_log, 6);
    throw Error(r.failure_kind(), e);
  }
  const Profile profile = tool.read(files.profile);
  tool.check(profile, ctx.settings, region_only, files.profile);
  Counts counts{profile.totals_by_event(), {}};
  for (auto& [function, count] : function_instructions(profile, ctx.project_dir))
    counts.functions[b.has_region() ? suite_protocol::stable_function_name(function, b.name) : function] += count;
  return counts;
}

// The region's counts: the run with the body minus the run without it. An event that is zero
// stays (it is a measurement); a function that cancels out goes. A calibration that costs more
// than the run (a program that is not a suite ignores --run and --calibrate) is an error.
void subtract(Counts& from, const Counts& what, const BenchmarkPlan& b, const MeasureContext& ctx, std::string_view tool) {
  Metrics region = from.events;
  for (auto& [key, count] : what.events) region[key] -= count;
  for (auto& [metric, value] : with_derived(region))
    // Raw miss events may dip below zero by a few (the two runs' layouts differ); what the region
    // costs, and the hits derived from the events, cannot.
    if (value < 0 && (metric == "Ir" || is_derived_metric(metric)))
      throw Error(ErrorKind::setup,
                  fmt::format("impossible counts: {} is {} (the --run run {} minus the --calibrate run {}): does {} "
                              "speak the suite protocol (--list, --run, --calibrate)? Files: {}, {}",
                              metric, value, with_derived(from.events)[metric], with_derived(what.events)[metric],
                              b.program.string(), run_files(ctx.out_dir, b.name, RunRole::measured, tool).profile.filename().string(),
                              run_files(ctx.out_dir, b.name, RunRole::calibration, tool).profile.filename().string()));
  from.events = std::move(region);
  for (auto& [key, count] : what.functions) from.functions[key] -= count;
  std::erase_if(from.functions, [](auto& kv) { return kv.second == 0; });
}

// The counts of every run of the benchmark: the region's, for a suite benchmark under a tool that
// needs calibration.
Counts count(const BenchmarkPlan& b, const MeasureContext& ctx, const ValgrindTool& tool, Measurement& m) {
  Counts counts = run_once(b, ctx, tool, RunRole::measured, m);
  if (b.has_region() && !tool.counts_region_in_one_run())
    subtract(counts, run_once(b, ctx, tool, RunRole::calibration, m), b, ctx, tool.name());
  return counts;
}

// --verify: the events that differ between two measurements of the same thing.
std::vector<std::string> moved_events(const Metrics& first, const Metrics& second) {
  std::vector<std::string> moved;
  for (auto& [event, count] : first)
    if (auto it = second.find(event); it == second.end() || it->second != count)
      moved.push_back(fmt::format("{} {} then {}", event, count, it == second.end() ? std::string("none") : std::to_string(it->second)));
  return moved;
}

} // namespace

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
  return valgrind_argv(ctx.valgrind, tool, ctx.settings, files, region_only, program_argv);
}

std::vector<RunRole> run_roles(const BenchmarkPlan& b, const ValgrindTool& tool) {
  if (b.has_region() && !tool.counts_region_in_one_run()) return {RunRole::measured, RunRole::calibration};
  return {RunRole::measured};
}

Measurement measure(const BenchmarkPlan& b, const MeasureContext& ctx) {
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
    if (b.kind == BenchmarkPlan::Kind::artifact) { // no Valgrind: sizes depend on the compiler alone
      m.tool = m.toolchain.tool = "size";
      m.toolchain.valgrind = m.toolchain.cache = "";
      measure_artifact(b, m);
      return m;
    }
    const ValgrindTool& tool = valgrind_tool(m.tool);
    Counts counts = count(b, ctx, tool, m);
    if (ctx.verify) {
      Measurement again; // its files overwrite the first run's: the same names, the same content if stable
      m.unstable_events = moved_events(counts.events, count(b, ctx, tool, again).events);
      m.seconds += again.seconds;
    }
    m.events = std::move(counts.events);
    m.functions = std::move(counts.functions);
    if (b.settings.heap) measure_heap(b, ctx, m);
  } catch (const Error& e) {
    m.failure = to_failure(e);
  } catch (const std::exception& e) { // a filesystem_error, say: this benchmark's fault, not the run's
    m.failure = Failure{ErrorKind::internal, e.what()};
  }
  return m;
}

MeasurementSet measure_all(const std::vector<BenchmarkPlan>& plan, const MeasureContext& ctx, unsigned jobs,
                           const std::function<void(const Measurement&)>& done) {
  MeasurementSet set;
  set.host = ctx.host;
  set.measurements.resize(plan.size());
  std::atomic<size_t> next{0};
  std::mutex report;
  auto worker = [&] {
    for (size_t i; (i = next++) < plan.size();) {
      set.measurements[i] = measure(plan[i], ctx);
      std::lock_guard lock(report);
      done(set.measurements[i]);
    }
  };
  {
    std::vector<std::jthread> threads;
    for (unsigned t = 0; t < std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(plan.size()))); ++t)
      threads.emplace_back(worker);
  } // joined here, before the set is handed out
  return set;
}

} // namespace cibench

#include "measure/runner.hpp"

#include "valgrind/cachegrind/cachegrind_parser.hpp"
#include "valgrind/callgrind/callgrind_parser.hpp"
#include "util/elf_comment.hpp"
#include "util/error.hpp"
#include "util/file_tail.hpp"
#include "util/file_names.hpp"
#include "exec/process.hpp"
#include "exec/sandbox.hpp"

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
    if (keep-- > 0) out += "  | " + l + "\n";
  }
  return out;
}

struct RunOutcome {
  Metrics totals;
  FunctionInstructions functions;
  std::string error;
};

// The profile and, when the workload dumped several parts, NAME.callgrind.out.1, .2, ...
std::vector<fs::path> profile_parts(const fs::path& profile) {
  std::vector<fs::path> parts;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(profile.parent_path(), ec)) {
    const std::string n = e.path().filename().string(), base = profile.filename().string();
    if (n == base || (n.size() > base.size() + 1 && n.compare(0, base.size() + 1, base + ".") == 0 &&
                      n.find_first_not_of("0123456789", base.size() + 1) == std::string::npos))
      parts.push_back(e.path());
  }
  std::sort(parts.begin(), parts.end());
  return parts;
}

RunOutcome run_once(const BenchmarkPlan& b, const RunContext& ctx, Tool tool, RunRole role, Measurement& m) {
  const RunFiles files = run_files(ctx.out_dir, b.name, role, to_string(tool));
  Sandbox sandbox;
  std::vector<std::string> program_argv = b.command;
  program_argv[0] = sandbox.link_program(b.command[0]).string();
  if (role == RunRole::calibration) program_argv[1] = "--calibrate";

  ProcessSpec spec{.argv = valgrind_argv(ctx.valgrind, tool, ctx.settings, files, b.isolate_region, program_argv),
                   .env = workload_environment(b.settings.env),
                   .cwd = sandbox.dir(),
                   .stdout_file = files.stdout_file,
                   .stderr_file = files.stderr_file,
                   .timeout = b.settings.timeout};
  for (auto& f : profile_parts(files.profile)) fs::remove(f);
  fs::remove(files.valgrind_log);
  m.files.insert(m.files.end(), {files.profile, files.valgrind_log, files.stdout_file, files.stderr_file});
  const char* which = role == RunRole::calibration ? " (calibration run, --calibrate)" : "";

  ProcessResult r = run_process(spec);
  m.seconds += r.seconds;
  if (r.outcome == ProcessResult::Outcome::timed_out)
    return {{}, {}, fmt::format("timed out after {} s{} and was killed; raise `timeout` ({})", b.settings.timeout.count(),
                                which, b.source)};
  if (!r.ok()) {
    std::string e = fmt::format("workload {}{}\n", r.describe(), which);
    if (auto crash = crash_report(files.valgrind_log); !crash.empty()) e += "valgrind log:\n" + crash;
    if (auto tail = last_lines(files.stderr_file, 12); !tail.empty()) e += "stderr (last lines):\n" + tail;
    else if (r.outcome == ProcessResult::Outcome::exited) e += "valgrind log (last lines):\n" + last_lines(files.valgrind_log, 6);
    return {{}, {}, e};
  }
  try {
    Profile profile = tool == Tool::callgrind ? parse_callgrind_files(profile_parts(files.profile))
                                              : parse_cachegrind_file(files.profile);
    for (auto& event : expected_events(ctx.settings))
      if (std::find(profile.events.begin(), profile.events.end(), event) == profile.events.end())
        return {{}, {}, fmt::format("{}: has no {} event although cache_sim = {}", files.profile.string(), event,
                                    ctx.settings.cache_sim)};
    // An empty region counts 0 but runs one basic block; "Basic block 0 - 0" means the workload
    // never started instrumentation.
    if (tool == Tool::callgrind && b.isolate_region &&
        std::find(profile.desc.begin(), profile.desc.end(), "Timerange: Basic block 0 - 0") != profile.desc.end())
      return {{}, {}, "Callgrind never saw the region start: was the workload built without <valgrind/callgrind.h> "
                      "(package valgrind)? bench.measure() uses CALLGRIND_START_INSTRUMENTATION from it."};
    return {profile.totals_by_event(), function_instructions(profile, ctx.project_dir), {}};
  } catch (const Error& e) {
    return {{}, {}, e.what()};
  }
}

// The region's counts: the run with the body minus the run without it. An event that is zero
// stays (it is a measurement); a function that cancels out goes.
void subtract_events(Metrics& from, const Metrics& what) {
  for (auto& [key, count] : what) from[key] -= count;
}
void subtract_functions(FunctionInstructions& from, const FunctionInstructions& what) {
  for (auto& [key, count] : what) from[key] -= count;
  std::erase_if(from, [](auto& kv) { return kv.second == 0; });
}

} // namespace

Measurement measure(const BenchmarkPlan& b, const RunContext& ctx) {
  Measurement m;
  m.name = b.name;
  m.tool = ctx.tool_override.value_or(b.settings.tool);
  if (!b.setup_error.empty()) {
    m.error = b.setup_error;
    return m;
  }
  m.compiler = elf_comment(b.command[0]);
  try {
    RunOutcome measured = run_once(b, ctx, m.tool, RunRole::measured, m);
    if (!measured.error.empty()) {
      m.error = measured.error;
      return m;
    }
    if (b.isolate_region && m.tool == Tool::cachegrind) {
      RunOutcome calibration = run_once(b, ctx, m.tool, RunRole::calibration, m);
      if (!calibration.error.empty()) {
        m.error = calibration.error;
        return m;
      }
      subtract_events(measured.totals, calibration.totals);
      subtract_functions(measured.functions, calibration.functions);
    }
    m.metrics = with_derived(measured.totals);
    m.functions = std::move(measured.functions);
  } catch (const Error& e) {
    m.error = e.what();
  }
  return m;
}

std::vector<Measurement> measure_all(const std::vector<BenchmarkPlan>& plan, const RunContext& ctx, unsigned jobs,
                                     const std::function<void(const Measurement&)>& done) {
  std::vector<Measurement> results(plan.size());
  std::atomic<size_t> next{0};
  std::mutex report;
  auto worker = [&] {
    for (size_t i; (i = next++) < plan.size();) {
      results[i] = measure(plan[i], ctx);
      std::lock_guard lock(report);
      done(results[i]);
    }
  };
  {
    std::vector<std::jthread> threads;
    for (unsigned t = 0; t < std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(plan.size()))); ++t)
      threads.emplace_back(worker);
  } // joined here, before `results` is handed out
  return results;
}

} // namespace cibench

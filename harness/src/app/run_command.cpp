#include "app/run_command.hpp"

#include "config/config.hpp"
#include "exec/process.hpp"
#include "history/commit_info.hpp"
#include "history/run_recording.hpp"
#include "judge/judge.hpp"
#include "judge/update_baselines.hpp"
#include "measure/measure.hpp"
#include "report/results_json.hpp"
#include "report/terminal_report.hpp"
#include "util/directory_lock.hpp"

#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <thread>
#include <unistd.h>

namespace cibench {
namespace fs = std::filesystem;
namespace {

fs::path make_out_dir(const fs::path& out) {
  const fs::path dir = fs::absolute(out);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorKind::io, fmt::format("cannot create --out folder {}: {}", dir.string(), ec.message()));
  return dir;
}

MeasurementSet measure_selection(const Selection& selection, const MeasureContext& context, const RunOptions& options) {
  const unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  const auto& plan = selection.measured;
  fmt::print(stderr, "ci-bench: measuring {} benchmark(s) under {} ({}), {} at a time\n", plan.size(),
             options.tool.empty() ? "Valgrind" : options.tool, context.valgrind.version, jobs);
  size_t finished = 0;
  return measure_all(plan, context, jobs, [&](const Measurement& m) {
    fmt::print(stderr, "  [{}/{}] {} ({:.1f} s){}\n", ++finished, plan.size(), m.name, m.seconds, m.ok() ? "" : " ERROR");
  });
}

std::map<std::string, BaselineLookup> read_baselines(const fs::path& dir, const std::vector<BenchmarkPlan>& plan) {
  check_baseline_dir(dir);
  std::map<std::string, BaselineLookup> found;
  for (auto& b : plan) found[b.name] = find_baseline(dir, b.name);
  return found;
}

// The verdict first, on the terminal: a full or read-only --out must never hide it.
void report(const RunResult& run, const fs::path& results, const Config& config) {
  const char* no_colour = std::getenv("NO_COLOR");
  print_summary(run, stdout, ::isatty(STDOUT_FILENO) && !(no_colour && *no_colour));
  std::fflush(stdout);
  write_results_json(run, results, config.report);
  fmt::print("results: {}\n", results.string());
  if (run.updating_baselines)
    fmt::print("baselines written to {}: review and commit them\n", config.baseline_dir.string());
}

int gate(const RunOptions& options, const fs::path& out_dir) {
  const auto start = std::chrono::steady_clock::now();
  const Config config = load_config(options.config);
  const Selection selection = select_benchmarks(config, options.filter);

  MeasureContext context{.valgrind = find_valgrind(), .settings = config.valgrind, .host = {},
                         .out_dir = out_dir, .project_dir = config.file.parent_path(),
                         .tool_override = options.tool.empty() ? std::nullopt : std::optional(options.tool),
                         .build_hint = config.report.build_hint()};
  context.host = host_toolchain(context.valgrind, config.valgrind);
  MeasurementSet measured = measure_selection(selection, context, options);
  write_measurement_set(measured, out_dir / "measurements.json");

  RunResult run = judge_run(std::move(measured), read_baselines(config.baseline_dir, selection.measured),
                            selection.measured, config.comparisons);
  run.allow_incomparable = config.allow_incomparable || options.allow_incomparable;
  if (options.update_baselines) update_baselines(run, config.baseline_dir);
  run.gone = orphaned_baselines(config.baseline_dir, selection.all);
  run.skipped = selection.skipped;
  run.interrupted_by = interrupt_signal();
  run.commit = current_commit(config.file.parent_path());
  record_in_history(run, config, options.history);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  report(run, out_dir / "results.json", config);
  return run.exit_code();
}

} // namespace

int run_benchmarks(const RunOptions& options) {
  const fs::path out_dir = make_out_dir(options.out);
  DirectoryLock lock(out_dir, "--out folder", [] { return interrupt_signal() != 0; });
  // A results.json left by an earlier run must never pass for this one's.
  const fs::path results = out_dir / "results.json";
  std::error_code ec;
  fs::remove(results, ec);
  try {
    return gate(options, out_dir);
  } catch (const std::exception& e) {
    write_unfinished_results_json(e.what(), results, interrupt_signal());
    throw;
  }
}

} // namespace cibench

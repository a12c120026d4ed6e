#include "app/run_command.hpp"

#include "config/config.hpp"
#include "exec/process.hpp"
#include "history/commit_info.hpp"
#include "history/run_recording.hpp"
#include "judge/judge.hpp"
#include "baseline/reuse.hpp"
#include "measure/heap_counter_run.hpp"
#include "exec/sandbox.hpp"
#include "measure/content_fingerprint.hpp"
#include "plan/shard.hpp"
#include "elf/elf_comment.hpp"
#include "util/sha256.hpp"
#include "judge/update_baselines.hpp"
#include "measure/measure.hpp"
#include "results/results_json.hpp"
#include "report/explanation.hpp"
#include "report/flamegraphs.hpp"
#include "report/reporter.hpp"
#include "util/directory_lock.hpp"
#include "util/plural.hpp"
#include "util/utf8.hpp"
#include "util/whole_file.hpp"

#include <chrono>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <fmt/format.h>
#include <thread>

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

std::map<std::string, BaselineLookup> read_baselines(const fs::path& dir, const std::vector<BenchmarkPlan>& plan) {
  check_baseline_dir(dir);
  std::map<std::string, BaselineLookup> found;
  for (auto& b : plan) found[b.name] = find_baseline(dir, b.name);
  return found;
}

// The benchmarks of shard K/N, in plan order, weighed by what each took when its baseline was
// recorded.
std::vector<BenchmarkPlan> shard_of(const std::vector<BenchmarkPlan>& plan, const std::map<std::string, BaselineLookup>& baselines,
                                    ShardSpec shard) {
  std::vector<std::optional<double>> costs;
  for (auto& b : plan) {
    auto& found = baselines.at(b.name);
    costs.push_back(found.baseline ? found.baseline->seconds : std::nullopt);
  }
  const auto assigned = assign_shards(costs, shard.count);
  std::vector<BenchmarkPlan> part;
  for (size_t i = 0; i < plan.size(); ++i)
    if (assigned[i] == shard.index) part.push_back(plan[i]);
  return part;
}

double recorded_seconds(const BaselineLookup& found) {
  return found.baseline && found.baseline->seconds ? *found.baseline->seconds : 0.0;
}

// Every benchmark's content fingerprint; the counts of those whose fingerprint and toolchain
// equal their baseline's are reused, the rest measured under Valgrind.
MeasurementSet measure_or_reuse(const std::vector<BenchmarkPlan>& plan, const std::map<std::string, BaselineLookup>& baselines,
                                const MeasureContext& context, const RunOptions& options) {
  const bool reuse = !options.no_reuse && !options.update_baselines && !options.verify;
  ContentFingerprints fingerprints(context);
  Observer observer; // every file of the baselines' manifests, observed once for all of them
  std::map<fs::path, std::string> compilers; // read once per program
  std::vector<std::string> fingerprint(plan.size());
  std::vector<std::optional<Measurement>> measurements(plan.size()); // the reused ones first
  std::vector<size_t> measure_order; // indices into plan
  for (size_t i = 0; i < plan.size(); ++i) {
    fingerprint[i] = fingerprints.of(plan[i]);
    if (reuse && !fingerprint[i].empty()) {
      auto [compiler, fresh] = compilers.try_emplace(plan[i].program);
      if (fresh) compiler->second = elf_comment(plan[i].program);
      Toolchain toolchain = context.host;
      toolchain.tool = tool_of(plan[i], context);
      toolchain.compiler = compiler->second;
      measurements[i] = reuse_baseline(plan[i], fingerprint[i], toolchain, baselines.at(plan[i].name), observer);
    }
    if (!measurements[i]) measure_order.push_back(i);
  }
  // Longest first (by what each took when its baseline was recorded), so that the run does not end
  // waiting on one long benchmark started last while the other cores idle.
  std::stable_sort(measure_order.begin(), measure_order.end(), [&](size_t a, size_t b) {
    return recorded_seconds(baselines.at(plan[a].name)) > recorded_seconds(baselines.at(plan[b].name));
  });
  std::vector<BenchmarkPlan> to_measure;
  std::vector<double> costs;
  for (size_t i : measure_order) {
    to_measure.push_back(plan[i]);
    costs.push_back(recorded_seconds(baselines.at(plan[i].name)));
  }
  const unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  if (to_measure.empty())
    fmt::print(stderr, "ci-bench: nothing to measure: all {} reused from their baselines (content fingerprint unchanged)\n",
               plan.size());
  else
    fmt::print(stderr, "ci-bench: measuring {} benchmark(s) under {} ({}), {} at a time{}\n", to_measure.size(),
               options.tool.empty() ? "Valgrind" : options.tool, context.valgrind.version, jobs,
               plan.size() > to_measure.size()
                   ? fmt::format("; {} reused from their baselines (content fingerprint unchanged)", plan.size() - to_measure.size())
                   : "");
  size_t finished = 0;
  MeasurementSet measured = measure_all(to_measure, context, jobs, [&](const Measurement& m) {
    fmt::print(stderr, "  [{}/{}] {} ({:.1f} s){}\n", ++finished, to_measure.size(), printable(m.name), m.seconds, m.ok() ? "" : " ERROR");
  }, costs);
  for (size_t k = 0; k < measure_order.size(); ++k) measurements[measure_order[k]] = std::move(measured.measurements[k]);
  MeasurementSet set; // in plan order
  set.host = measured.host;
  for (size_t i = 0; i < plan.size(); ++i) {
    set.measurements.push_back(std::move(*measurements[i]));
    set.measurements.back().content_fingerprint = fingerprint[i];
  }
  return set;
}

std::string config_digest(const fs::path& file) { return file_sha256(file).value_or(""); }

// What --update-baselines did, for the last line: what it wrote, and what it left as it was.
std::string baselines_written(const RunResult& run, const fs::path& dir) {
  const size_t written = static_cast<size_t>(
      std::count_if(run.benchmarks.begin(), run.benchmarks.end(), [](auto& b) { return b.baseline_written; }));
  const size_t kept = run.benchmarks.size() - written;
  const std::string not_written = fmt::format("{} failed or counted nondeterministically (above)", counted(kept, "benchmark"));
  if (!written) return kept ? fmt::format("no baseline written: {}; the baseline folder is unchanged", not_written)
                            : "no baseline written: no benchmark was measured";
  return fmt::format("{} written to {}: review and commit {}{}", counted(written, "baseline"), dir.string(),
                     written > 1 ? "them" : "it",
                     kept ? fmt::format("; {}: {} unchanged", not_written, kept > 1 ? "their baselines are" : "its baseline is") : "");
}

// The verdict first, on the terminal: a full or read-only --out must never hide it.
void report(const RunResult& run, const fs::path& results, const Config& config) {
  publish(run, standard_reporters(results));
  if (run.updating_baselines) fmt::print("{}\n", baselines_written(run, config.baseline_dir));
}

int gate(const RunOptions& options, const fs::path& out_dir) {
  const auto start = std::chrono::steady_clock::now();
  const std::optional<ShardSpec> shard = options.shard ? std::optional(parse_shard(*options.shard)) : std::nullopt;
  const Config config = load_config(options.config);
  const Selection selection = select_benchmarks(config, options.filter);

  MeasureContext context{.valgrind = find_valgrind(), .settings = config.valgrind, .host = {},
                         .out_dir = out_dir, .project_dir = config.file.parent_path(),
                         .tool_override = options.tool.empty() ? std::nullopt : std::optional(options.tool),
                         .build_hint = config.report.build_hint(),
                         .verify = options.verify,
                         .explain_heap = {}};
  context.host = host_toolchain(context.valgrind, config.valgrind);
  const auto baselines = read_baselines(config.baseline_dir, selection.measured);
  // DHAT names a suite body's allocation sites only where they explain something: figures that
  // moved from the baseline's, or a baseline being written (which keeps them for that).
  context.explain_heap = [&baselines, updating = options.update_baselines](const std::string& name, const Metrics& heap) {
    if (updating) return true;
    const auto found = baselines.find(name);
    if (found == baselines.end() || !found->second.baseline) return false;
    const Metrics& before = found->second.baseline->metrics;
    return std::any_of(heap.begin(), heap.end(), [&](auto& figure) {
      const auto it = before.find(figure.first);
      return it == before.end() || it->second != figure.second;
    });
  };
  const std::vector<BenchmarkPlan> plan = shard ? shard_of(selection.measured, baselines, *shard) : selection.measured;
  // A suite's heap figures need the counter installed beside the driver: say so once, up front.
  if (std::any_of(plan.begin(), plan.end(), [](auto& b) { return b.settings.heap && b.has_region() && !b.setup_failure; }))
    heap_counter_library();
  // A shard compares only what it measured whole; `merge` compares the rest.
  std::vector<Comparison> comparisons;
  for (auto& c : config.comparisons) {
    const auto in_plan = [&](const std::string& name) {
      return std::any_of(plan.begin(), plan.end(), [&](auto& b) { return b.name == name; });
    };
    if (!shard || (in_plan(c.baseline) && in_plan(c.candidate))) comparisons.push_back(c);
  }
  // Before measuring: an interrupt must find nothing but the measurements left to do.
  const CommitInfo commit = current_commit(config.file.parent_path());
  MeasurementSet measured = measure_or_reuse(plan, baselines, context, options);
  write_measurement_set(measured, out_dir / "measurements.json");

  RunResult run = judge_run(std::move(measured), baselines, plan, comparisons);
  attach_excerpts(run, config.file.parent_path());
  write_flamegraphs(run, out_dir, plan, config.file.parent_path(), options.explain);
  run.allow_incomparable = config.allow_incomparable || options.allow_incomparable;
  if (options.update_baselines) update_baselines(run, config.baseline_dir);
  run.gone = orphaned_baselines(config.baseline_dir, selection.all);
  run.skipped = selection.skipped;
  run.commit = commit;
  run.config_digest = config_digest(config.file);
  run.report = config.report;
  run.driver = this_driver();
  run.verified = options.verify;
  if (shard) {
    run.shard = ShardOfRun{.index = shard->index, .count = shard->count, .benchmarks = {}, .comparisons = config.comparisons};
    for (auto& b : selection.measured) run.shard->benchmarks.push_back(b.name);
  }
  run.interrupted_by = interrupt_signal();
  try {
    if (!options.explain) record_in_history(run, config, options.history); // explain: a look, not a point of the history
  } catch (const Error& e) { // the measurements stand: results.json keeps them, beside why
    run.history_error = e.what();
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  report(run, out_dir / "results.json", config);
  if (options.explain) print_explanation(run, out_dir, config.file.parent_path(), stdout);
  return run.exit_code();
}

} // namespace

int explain_benchmark(RunOptions options, const std::string& name) {
  std::string pattern = "^";
  for (char c : name) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) pattern += '\\';
    pattern += c;
  }
  options.filter = pattern + "$";
  options.no_reuse = true;
  options.explain = true;
  try {
    return run_benchmarks(options);
  } catch (const Error& e) {
    if (std::string_view(e.what()).find("matches no benchmark") == std::string_view::npos) throw;
    throw Error(ErrorKind::config, fmt::format("no benchmark is named '{}' in {} (spell it as results.json and the PR "
                                               "comment do; `ci-bench run --filter` lists what a pattern matches)",
                                               printable_line(name, 200), options.config.string()));
  }
}

int run_benchmarks(const RunOptions& options) {
  const fs::path out_dir = make_out_dir(options.out);
  DirectoryLock lock(out_dir, "--out folder", interrupted);
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

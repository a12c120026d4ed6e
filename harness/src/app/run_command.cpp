#include "app/run_command.hpp"

#include "judge/baseline.hpp"
#include "config/config.hpp"
#include "util/error.hpp"
#include "measure/fingerprint.hpp"
#include "measure/plan.hpp"
#include "report/report.hpp"
#include "measure/runner.hpp"
#include "valgrind/valgrind.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <cstdlib>
#include <fmt/format.h>
#include <optional>
#include <regex>
#include <set>
#include <thread>
#include <unistd.h>

namespace cibench {
namespace fs = std::filesystem;
namespace {

std::optional<std::regex> compile_filter(const std::string& filter) {
  if (filter.empty()) return std::nullopt;
  try {
    return std::regex(filter, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw Error(fmt::format("--filter '{}' is not a valid regular expression: {}", filter, e.what()));
  }
}

// Thresholds and budgets on cache metrics cannot be checked when the cache is not simulated.
void check_thresholds_measurable(const std::vector<BenchmarkPlan>& plan, const ValgrindSettings& settings) {
  if (settings.cache_sim) return;
  for (auto& b : plan) {
    const Thresholds& t = b.settings.thresholds;
    std::vector<std::string> gated;
    for (auto* level : {&t.warn, &t.fail})
      for (auto& [metric, pct] : *level) gated.push_back(metric);
    for (auto& [metric, ceiling] : t.budget) gated.push_back(metric);
    for (auto& metric : gated)
      if (metric != "Ir" && metric != "instructions")
        throw Error(fmt::format("{}: a threshold or budget on '{}' needs the cache simulation, but [valgrind] "
                                "cache_sim = false measures only instructions: drop it, or set cache_sim = true",
                                b.source, metric));
  }
}

void check_comparisons(const std::vector<Comparison>& comparisons, const std::vector<std::string>& names) {
  for (auto& c : comparisons)
    for (auto* side : {&c.baseline, &c.candidate})
      if (std::find(names.begin(), names.end(), *side) == names.end())
        throw Error(fmt::format("{}: [[compare]] '{}' names '{}', which is not a benchmark", c.where, c.name, *side));
}

BenchmarkResult judge_one(Measurement m, const BenchmarkPlan& plan, const fs::path& baseline_dir, const Fingerprint& host) {
  BenchmarkResult r;
  r.measurement = std::move(m);
  r.error = r.measurement.error;
  if (r.error.empty()) {
    try {
      r.baseline = load_baseline(baseline_dir, plan.name);
    } catch (const Error& e) {
      r.error = e.what();
    }
  }
  r.verdict = judge(r.measurement.metrics, r.baseline ? &r.baseline->metrics : nullptr, plan.settings.thresholds);
  if (!r.error.empty()) r.verdict.status = Status::error;
  const auto instructions = [](const Metrics& m) { auto it = m.find("instructions"); return it == m.end() ? 0 : it->second; };
  if (r.baseline && r.error.empty() && !r.baseline->functions.empty() &&
      instructions(r.baseline->metrics) != instructions(r.measurement.metrics))
    r.function_changes = top_function_changes(r.baseline->functions, r.measurement.functions);
  if (r.baseline) {
    Fingerprint now = host;
    now.compiler = r.measurement.compiler;
    now.tool = to_string(r.measurement.tool);
    r.fingerprint_differences = fingerprint_differences(r.baseline->fingerprint, now);
  }
  return r;
}

} // namespace

int run_benchmarks(const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const Config config = load_config(options.config);
  const auto filter = compile_filter(options.filter);
  RunContext context{find_valgrind(), config.valgrind, fs::absolute(options.out), config.file.parent_path(),
                     options.tool.empty() ? std::nullopt : std::optional<Tool>(parse_tool(options.tool))};
  std::error_code ec;
  fs::create_directories(context.out_dir, ec);
  if (ec) throw Error(fmt::format("cannot create --out folder {}: {}", context.out_dir.string(), ec.message()));

  const std::vector<BenchmarkPlan> all = make_plan(config);
  std::vector<std::string> all_names;
  for (auto& b : all) all_names.push_back(b.name);
  check_comparisons(config.comparisons, all_names);
  std::vector<BenchmarkPlan> plan;
  std::vector<std::string> skipped;
  for (auto& b : all) {
    if (filter && !std::regex_search(b.name, *filter)) continue;
    if (b.settings.wall_clock_only) skipped.push_back(b.name);
    else plan.push_back(b);
  }
  check_thresholds_measurable(plan, config.valgrind);
  if (plan.empty())
    throw Error(fmt::format("nothing to measure in {}{}", config.file.string(),
                            filter ? fmt::format(": --filter '{}' matches no benchmark measured by `run`", options.filter) : ""));
  const unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  fmt::print(stderr, "ci-bench: measuring {} benchmark(s) under {} ({}), {} at a time\n", plan.size(),
             options.tool.empty() ? "Valgrind" : options.tool, context.valgrind.version, jobs);
  size_t finished = 0;
  auto measurements = measure_all(plan, context, jobs, [&](const Measurement& m) {
    fmt::print(stderr, "  [{}/{}] {} ({:.1f} s){}\n", ++finished, plan.size(), m.name, m.seconds, m.error.empty() ? "" : " ERROR");
  });

  RunReport report;
  report.host = host_fingerprint(context.valgrind, config.valgrind);
  report.updating_baselines = options.update_baselines;
  for (size_t i = 0; i < plan.size(); ++i) {
    BenchmarkResult r = judge_one(std::move(measurements[i]), plan[i], config.baseline_dir, report.host);
    if (options.update_baselines && r.measurement.error.empty()) {
      Fingerprint fp = report.host;
      fp.compiler = r.measurement.compiler;
      fp.tool = to_string(r.measurement.tool);
      save_baseline(config.baseline_dir, {plan[i].name, r.measurement.metrics, fp, top_functions(r.measurement.functions)});
      r.baseline_written = true;
      if (r.verdict.status == Status::error) r.verdict.status = Status::new_benchmark; // a corrupt baseline, now replaced
      r.error.clear();
    }
    report.benchmarks.push_back(std::move(r));
  }
  const std::set<std::string> known(all_names.begin(), all_names.end());
  for (auto& name : baseline_names(config.baseline_dir))
    if (!known.count(name)) report.gone.push_back(name);
  report.skipped = skipped;
  std::map<std::string, Metrics> measured;
  for (auto& b : report.benchmarks)
    if (b.measurement.error.empty()) measured[b.measurement.name] = b.measurement.metrics;
  std::vector<std::string> selected;
  for (auto& b : plan) selected.push_back(b.name);
  report.comparisons = compare(config.comparisons, measured, selected);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const fs::path results = context.out_dir / "results.json";
  write_results_json(report, results);
  const char* no_colour = std::getenv("NO_COLOR");
  print_summary(report, stdout, ::isatty(STDOUT_FILENO) && !(no_colour && *no_colour));
  fmt::print("results: {}\n", results.string());
  if (options.update_baselines)
    fmt::print("baselines written to {}: review and commit them\n", config.baseline_dir.string());
  return report.exit_code();
}

} // namespace cibench

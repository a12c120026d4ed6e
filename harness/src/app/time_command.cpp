#include "app/time_command.hpp"

#include "config/config.hpp"
#include "util/error.hpp"
#include "util/file_names.hpp"
#include "measure/plan.hpp"
#include "wallclock/saved_samples.hpp"
#include "wallclock/time_report.hpp"

#include <fmt/format.h>
#include <optional>
#include <regex>

namespace cibench {
namespace fs = std::filesystem;

namespace {

// Saved samples belong to one machine: they live under --out, never beside the committed baselines.
fs::path samples_file(const TimeOptions& o, const std::string& name) { return o.out / "time" / (file_stem(name) + ".json"); }

} // namespace

int time_benchmarks(const TimeOptions& o) {
  const Config config = load_config(o.config);
  std::optional<std::regex> filter;
  try {
    if (!o.filter.empty()) filter = std::regex(o.filter);
  } catch (const std::regex_error& e) {
    throw Error(ErrorKind::config, fmt::format("--filter '{}' is not a valid regular expression: {}", o.filter, e.what()));
  }
  std::optional<SavedSamples> baseline;
  if (!o.baseline.empty()) baseline = load_samples(samples_file(o, o.baseline), o.baseline);

  TimeReport report;
  report.resolution = clock_resolution();
  report.baseline_name = o.baseline;
  report.threshold_pct = o.threshold_pct;
  std::vector<BenchmarkPlan> plan;
  for (auto& b : make_plan(config)) // wall_clock_only benchmarks are this mode's own; artifacts are not run
    if (b.kind != BenchmarkPlan::Kind::artifact && (!filter || std::regex_search(b.name, *filter))) plan.push_back(b);
  if (plan.empty()) throw Error(ErrorKind::config, fmt::format("--filter '{}' matches no benchmark in {}", o.filter, config.file.string()));

  fmt::print(stderr, "ci-bench time: {} benchmark(s), one at a time, natively\n", plan.size());
  for (auto& b : plan) {
    TimeResult r = analyse_timing(time_benchmark(b, o.sampling, report.resolution), baseline ? &*baseline : nullptr,
                                  o.threshold_pct);
    fmt::print(stderr, "  {} ({} samples){}\n", b.name, r.timed.ns_per_iteration.size(), r.timed.error.empty() ? "" : " ERROR");
    report.results.push_back(std::move(r));
  }
  print_time_report(report, stdout);
  if (!o.save.empty()) {
    std::vector<TimedBenchmark> timed;
    int errors = 0;
    for (auto& r : report.results) {
      timed.push_back(r.timed);
      errors += !r.timed.error.empty();
    }
    for (auto& [name, why] : save_samples(samples_file(o, o.save), o.save, timed))
      fmt::print("not saved: {}: {}\n", name, why);
    fmt::print("samples saved as '{}': {}{}\n", o.save, samples_file(o, o.save).string(),
               errors ? fmt::format(" ({} benchmark(s) with an error left out)", errors) : "");
  }
  if (!o.json.empty()) write_google_benchmark_json(report, o.json);
  if (!o.markdown.empty()) write_markdown_report(report, o.markdown);
  return report.exit_code();
}

} // namespace cibench

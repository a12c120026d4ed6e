#include "app/time_command.hpp"

#include "util/atomic_file.hpp"
#include "config/config.hpp"
#include "util/error.hpp"
#include "util/file_names.hpp"
#include "measure/plan.hpp"
#include "wallclock/time_report.hpp"

#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

namespace cibench {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kSamplesSchema = 1;

// Saved samples belong to one machine: they live under --out, never beside the committed baselines.
fs::path samples_file(const TimeOptions& o, const std::string& name) { return o.out / "time" / (file_stem(name) + ".json"); }

void save_samples(const TimeOptions& o, const TimeReport& report) {
  json benchmarks = json::object();
  for (auto& r : report.results)
    if (r.timed.error.empty())
      benchmarks[r.timed.name] = {{"ns_per_iteration", r.timed.ns_per_iteration}, {"iterations", r.timed.iterations}};
  fs::create_directories(samples_file(o, o.save).parent_path());
  write_file_atomically(samples_file(o, o.save), json{{"schema", kSamplesSchema}, {"name", o.save}, {"benchmarks", benchmarks}}.dump(1) + "\n");
}

std::map<std::string, TimedBenchmark> load_samples(const TimeOptions& o) {
  const fs::path file = samples_file(o, o.baseline);
  std::ifstream in(file);
  if (!in) throw Error(ErrorKind::config, fmt::format("no saved samples '{}' ({}): save some first with `ci-bench time --save {}`", o.baseline,
                                   file.string(), o.baseline));
  std::map<std::string, TimedBenchmark> out;
  try {
    json j = json::parse(in);
    if (j.value("schema", 0) != kSamplesSchema) throw Error(ErrorKind::parse, "unknown schema");
    for (auto& [name, b] : j.at("benchmarks").items()) {
      TimedBenchmark t;
      t.name = name;
      t.ns_per_iteration = b.at("ns_per_iteration").get<std::vector<double>>();
      t.iterations = b.value("iterations", 1LL);
      if (t.ns_per_iteration.size() < 2) throw Error(ErrorKind::parse, fmt::format("'{}' has fewer than two samples", name));
      out[name] = t;
    }
  } catch (const std::exception& e) {
    throw Error(ErrorKind::parse, fmt::format("{}: corrupt saved samples: {}", file.string(), e.what()));
  }
  return out;
}

} // namespace

int time_benchmarks(const TimeOptions& o) {
  const Config config = load_config(o.config);
  std::optional<std::regex> filter;
  try {
    if (!o.filter.empty()) filter = std::regex(o.filter);
  } catch (const std::regex_error& e) {
    throw Error(ErrorKind::config, fmt::format("--filter '{}' is not a valid regular expression: {}", o.filter, e.what()));
  }
  std::map<std::string, TimedBenchmark> baseline;
  if (!o.baseline.empty()) baseline = load_samples(o);

  TimeReport report;
  report.resolution = clock_resolution();
  report.baseline_name = o.baseline;
  report.threshold_pct = o.threshold_pct;
  std::vector<BenchmarkPlan> plan;
  for (auto& b : make_plan(config)) // wall_clock_only benchmarks are this mode's own
    if (!filter || std::regex_search(b.name, *filter)) plan.push_back(b);
  if (plan.empty()) throw Error(ErrorKind::config, fmt::format("--filter '{}' matches no benchmark in {}", o.filter, config.file.string()));

  fmt::print(stderr, "ci-bench time: {} benchmark(s), one at a time, natively\n", plan.size());
  for (auto& b : plan) {
    TimeResult r;
    r.timed = time_benchmark(b, o.sampling, report.resolution);
    fmt::print(stderr, "  {} ({} samples){}\n", b.name, r.timed.ns_per_iteration.size(), r.timed.error.empty() ? "" : " ERROR");
    if (r.timed.error.empty()) {
      const auto& x = r.timed.ns_per_iteration;
      r.summary = stats::summarize(x);
      r.mean_95 = stats::mean_interval(x);
      r.median_95 = stats::bootstrap_median_interval(x);
      r.outliers = stats::tukey_outliers(x);
      if (auto it = baseline.find(b.name); it != baseline.end()) {
        r.baseline = it->second;
        r.comparison = compare_times(it->second.ns_per_iteration, x, o.threshold_pct);
      }
    }
    report.results.push_back(std::move(r));
  }
  print_time_report(report, stdout);
  if (!o.save.empty()) {
    save_samples(o, report);
    fmt::print("samples saved as '{}': {}\n", o.save, samples_file(o, o.save).string());
  }
  if (!o.json.empty()) write_google_benchmark_json(report, o.json);
  if (!o.markdown.empty()) write_markdown_report(report, o.markdown);
  return report.exit_code();
}

} // namespace cibench

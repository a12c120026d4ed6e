// results.json: the machine-readable record of a run (schema in DESIGN.md).
#include "util/atomic_file.hpp"
#include "report/report.hpp"

#include <cmath>

namespace cibench {
using nlohmann::json;

namespace {

constexpr int kResultsSchema = 1;

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json benchmark_json(const BenchmarkResult& r) {
  json j = {{"name", r.measurement.name}, {"status", to_string(r.verdict.status)}};
  json metrics = json::object(), baseline = json::object(), change = json::object(), limits = json::object();
  for (auto& m : r.verdict.metrics) {
    metrics[m.metric] = m.current;
    if (m.baseline) baseline[m.metric] = *m.baseline;
    if (m.change_pct) change[m.metric] = number_or_null(*m.change_pct);
    if (m.status != Status::pass) limits[m.metric] = to_string(m.status);
  }
  j["metrics"] = metrics;
  j["baseline"] = r.baseline ? json(baseline) : json(nullptr);
  j["change_pct"] = change;
  j["metric_status"] = limits;
  json budget = json::object();
  for (auto& m : r.verdict.metrics)
    if (m.budget) budget[m.metric] = *m.budget;
  if (!budget.empty()) j["budget"] = budget;
  if (!r.error.empty()) j["error"] = r.error;
  if (!r.fingerprint_differences.empty()) j["fingerprint_differences"] = r.fingerprint_differences;
  if (r.baseline_written) j["baseline_written"] = true;
  j["tool"] = to_string(r.measurement.tool);
  j["functions"] = top_functions(r.measurement.functions);
  json changes = json::array();
  for (auto& c : r.function_changes)
    changes.push_back({{"function", c.function}, {"before", c.before}, {"after", c.after}, {"change", c.change()}});
  j["function_changes"] = changes;
  j["compiler"] = r.measurement.compiler;
  j["seconds"] = r.measurement.seconds;
  json files = json::array();
  for (auto& f : r.measurement.files) files.push_back(f.filename().string());
  j["files"] = files;
  return j;
}

} // namespace

void write_results_json(const RunReport& report, const std::filesystem::path& file) {
  json benchmarks = json::array();
  for (auto& b : report.benchmarks) benchmarks.push_back(benchmark_json(b));
  json comparisons = json::array();
  for (auto& c : report.comparisons) {
    json ratio = json::object();
    for (auto& [metric, r] : c.ratio) ratio[metric] = number_or_null(r);
    json entry = {{"name", c.declared.name}, {"baseline", c.declared.baseline}, {"candidate", c.declared.candidate},
                  {"ratio", ratio}};
    if (!c.error.empty()) entry["error"] = c.error;
    comparisons.push_back(entry);
  }
  json counts = json::object();
  for (auto& [status, n] : report.counts()) counts[to_string(status)] = n;
  json j = {{"schema", kResultsSchema},
            {"tool", "ci-bench"},
            {"fingerprint", report.host},
            {"updating_baselines", report.updating_baselines},
            {"seconds", report.seconds},
            {"counts", counts},
            {"exit_code", report.exit_code()},
            {"benchmarks", benchmarks},
            {"gone", report.gone},
            {"skipped", report.skipped},
            {"comparisons", comparisons}};
  write_file_atomically(file, j.dump(2) + "\n");
}

} // namespace cibench

#include "results/results_json.hpp"

#include "judge/allocation_sites.hpp"
#include "judge/drift_sentence.hpp"
#include "util/atomic_file.hpp"
#include "util/json_counts.hpp"
#include "util/json_optional.hpp"
#include "util/short_name.hpp"
#include "util/utf8.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fstream>

namespace cibench {
using nlohmann::json;

namespace {

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// Files and functions come from debug info, excerpts from the checkout: any bytes, made valid UTF-8.
json line_report_json(const LineReport& report) {
  json j = json::object(), changes = json::array();
  for (auto& c : report.changes) {
    std::vector<std::string> functions;
    for (auto& f : c.functions) functions.push_back(valid_utf8(f));
    json entry = {{"file", valid_utf8(c.file)}, {"line", c.line}, {"before", c.before}, {"after", c.after},
                  {"change", c.change()}, {"functions", functions}};
    if (c.before_at_most) entry["before_at_most"] = true;
    if (c.gone) entry["gone"] = true;
    if (c.edited) entry["edited"] = true;
    if (!c.source_function.empty()) entry["function"] = valid_utf8(c.source_function);
    if (c.inlined()) entry["inlined"] = true;
    changes.push_back(entry);
  }
  j["line_changes"] = changes;
  if (report.floor && !report.changes.empty()) j["line_changes_floor"] = *report.floor;
  if (!report.unavailable.empty()) j["lines_unavailable"] = report.unavailable;
  if (report.excerpt) {
    std::vector<std::string> lines;
    for (auto& l : report.excerpt->lines) lines.push_back(valid_utf8(l));
    j["source_excerpt"] = {{"file", valid_utf8(report.excerpt->file)}, {"line", report.excerpt->line},
                           {"first_line", report.excerpt->first_line}, {"lines", lines}};
  }
  return j;
}

// Each long name a report shows of this benchmark, to its short form (util/short_name.hpp), for the
// names whose short form differs: reports show it, results.json keeps the full one everywhere else.
json short_names(const BenchmarkResult& r) {
  json names = json::object();
  const auto add = [&](const std::string& name, const std::string& shorter) {
    if (shorter != name) names[valid_utf8(name)] = valid_utf8(shorter);
  };
  for (auto& c : r.function_changes) {
    add(c.function, short_function_key(c.function));
    for (auto& f : c.inlined_into) add(f, short_name(f));
  }
  for (auto& c : r.lines.changes) {
    for (auto& f : c.functions) add(f, short_name(f));
    add(c.source_function, short_name(c.source_function));
  }
  for (auto& [function, count] : r.reported_functions) add(function, short_function_key(function));
  return names;
}

json benchmark_json(const BenchmarkResult& r) {
  json j = verdict_json(r.verdict);
  j["name"] = r.name();
  json metrics = json::object(), baseline = json::object(), budget = json::object(), thresholds = json::object();
  for (auto& m : r.verdict.metrics) {
    metrics[m.metric] = m.current;
    if (m.warn_limit) thresholds[m.metric]["warn"] = *m.warn_limit;
    if (m.fail_limit) thresholds[m.metric]["fail"] = *m.fail_limit;
    if (m.warn_bytes) thresholds[m.metric]["warn_bytes"] = *m.warn_bytes;
    if (m.fail_bytes) thresholds[m.metric]["fail_bytes"] = *m.fail_bytes;
    if (m.baseline) baseline[m.metric] = *m.baseline;
    if (m.budget) budget[m.metric] = *m.budget;
  }
  j["metrics"] = metrics;
  j["baseline"] = r.baseline ? json(baseline) : json(nullptr);
  if (!budget.empty()) j["budget"] = budget;
  if (!thresholds.empty()) j["thresholds"] = thresholds;
  if (r.measurement.reused) j["reused"] = true;
  if (!r.measurement.uncounted_before_exec.empty()) j["uncounted_before_exec"] = r.measurement.uncounted_before_exec;
  if (!r.measurement.reuse_blocked.empty()) {
    std::vector<std::string> why;
    for (auto& reason : r.measurement.reuse_blocked) why.push_back(valid_utf8(reason));
    j["reuse_blocked"] = why;
  }
  if (!r.measurement.content_fingerprint.empty()) j["content_fingerprint"] = r.measurement.content_fingerprint;
  if (!r.unstable_events.empty()) j["unstable_events"] = r.unstable_events;
  if (!r.measurement.floored_metrics.empty()) j["floored_metrics"] = r.measurement.floored_metrics;
  if (!r.measurement.processes.empty()) {
    json processes = json::array();
    for (auto& p : r.measurement.processes)
      processes.push_back({{"command", p.command}, {"pid_order", p.pid_order}, {"metrics", with_derived(p.events)}});
    j["processes"] = processes;
  }
  if (r.failure) {
    j["error"] = r.failure->message;
    j["error_kind"] = to_string(r.failure->kind);
  }
  if (!r.toolchain_differences.empty()) j["fingerprint_differences"] = r.toolchain_differences;
  if (r.baseline_written) j["baseline_written"] = true;
  j["tool"] = r.measurement.tool;
  j["functions"] = r.reported_functions;
  // The same shape for functions, allocation sites and symbols, named by `key`.
  const auto change_list = [](const std::vector<FunctionChange>& list, const char* key) {
    json out = json::array();
    for (auto& c : list) {
      out.push_back({{key, c.function}, {"before", c.before}, {"after", c.after}, {"change", c.change()}});
      if (c.before_at_most) out.back()["before_at_most"] = true;
      if (!c.inlined_into.empty()) out.back()["inlined_into"] = c.inlined_into;
    }
    return out;
  };
  j["function_changes"] = change_list(r.function_changes, "function");
  if (r.function_changes_floor) j["function_changes_floor"] = *r.function_changes_floor;
  if (!r.lines.changes.empty() || !r.lines.unavailable.empty()) j.update(line_report_json(r.lines));
  if (!r.flamegraph.empty()) j["flamegraph"] = r.flamegraph;
  if (json names = short_names(r); !names.empty()) j["short_names"] = names;
  // Only where they can exist, so other benchmarks' entries keep their shape.
  if (!r.reported_allocation_sites.empty() || !r.allocation_site_changes.empty()) {
    json sites = json::object();
    for (auto& [site, bytes] : r.reported_allocation_sites)
      sites[site] = {{"total_bytes", bytes.total_bytes}, {"peak_bytes", bytes.peak_bytes}};
    j["allocation_sites"] = sites;
    if (!r.allocation_site_metric.empty()) j["allocation_site_metric"] = r.allocation_site_metric;
    j["allocation_site_changes"] = change_list(r.allocation_site_changes, "site");
    if (r.allocation_site_changes_floor) j["allocation_site_changes_floor"] = *r.allocation_site_changes_floor;
  }
  if (!r.reported_symbols.empty() || !r.symbol_changes.empty()) {
    j["symbols"] = r.reported_symbols;
    j["symbol_changes"] = change_list(r.symbol_changes, "symbol");
    if (r.symbol_changes_floor) j["symbol_changes_floor"] = *r.symbol_changes_floor;
  }
  j["compiler"] = r.measurement.toolchain.compiler;
  j["seconds"] = r.measurement.seconds;
  j["files"] = r.measurement.files;
  return j;
}

json comparison_json(const ComparisonResult& c) {
  json ratio = json::object();
  for (auto& [metric, r] : c.ratio) ratio[metric] = number_or_null(r);
  json entry = {{"name", c.declared.name}, {"baseline", c.declared.baseline}, {"candidate", c.declared.candidate},
                {"ratio", ratio}};
  if (!c.error.empty()) entry["error"] = c.error;
  return entry;
}

} // namespace

json verdict_json(const Verdict& verdict) {
  json change = json::object(), statuses = json::object();
  for (auto& m : verdict.metrics) {
    if (m.change_pct) change[m.metric] = number_or_null(*m.change_pct);
    if (m.status != Status::pass) statuses[m.metric] = to_string(m.status);
  }
  return {{"status", to_string(verdict.status)}, {"change_pct", change}, {"metric_status", statuses}};
}

namespace {

// Every metric's meaning, from the one table (metrics.hpp), so that the scripts in tools/ keep no
// list of their own: what a person reads, its unit, what yields it.
json metric_definitions() {
  json definitions = json::array(); // a list: the table's order is the order reports list metrics in
  for (auto& m : kMetricTable) {
    json d = {{"name", m.name}, {"unit", to_string(m.unit)}, {"source", to_string(m.source)}};
    if (!m.label.empty()) d["label"] = m.label;
    if (m.primary) d["primary"] = true;
    definitions.push_back(d);
  }
  return definitions;
}

} // namespace

json results_document(const RunResult& run) {
  const ReportSettings& report = run.report;
  json benchmarks = json::array();
  for (auto& b : run.benchmarks) benchmarks.push_back(benchmark_json(b));
  json comparisons = json::array();
  for (auto& c : run.comparisons) comparisons.push_back(comparison_json(c));
  json counts = json::object();
  for (auto& [status, n] : run.counts()) counts[to_string(status)] = n;
  json j = {{"schema", kResultsSchema},
            {"tool", "ci-bench"},
            {"fingerprint", run.host},
            {"updating_baselines", run.updating_baselines},
            {"allow_incomparable", run.allow_incomparable},
            {"seconds", run.seconds},
            {"counts", counts},
            {"reused", run.reused()},
            {"exit_code", run.exit_code()},
            {"benchmarks", benchmarks},
            {"gone", run.gone},
            {"skipped", run.skipped},
            {"comparisons", comparisons},
            {"reproduce", {{"command", report.gate_command()}, {"driver", report.driver}}},
            {"metric_definitions", metric_definitions()}};
  if (run.commit.sha)
    j["commit"] = {{"sha", *run.commit.sha}, {"parent", run.commit.parent}, {"branch", run.commit.branch}, {"time", run.commit.time}};
  else if (!run.commit.branch.empty())
    j["commit"] = {{"sha", nullptr}, {"parent", ""}, {"branch", run.commit.branch}, {"time", run.commit.time}};
  json drifts = json::array();
  for (auto& d : run.drifts)
    drifts.push_back({{"benchmark", d.benchmark}, {"metric", d.metric}, {"change_pct", d.change_pct}, {"points", d.points},
                      {"branch", d.branch}, {"largest_step_pct", d.largest_step_pct}, {"warn_pct", d.warn_pct},
                      {"threshold_pct", d.threshold_pct}, {"each_step_under_warn", d.each_step_under_warn},
                      {"message", drift_sentence(d)}});
  j["drift"] = drifts;
  if (!run.config_digest.empty()) j["config_digest"] = run.config_digest;
  if (!run.driver.version.empty()) {
    j["driver"] = {{"version", run.driver.version}};
    if (!run.driver.build.empty()) j["driver"]["build"] = run.driver.build;
  }
  j["verified"] = run.verified;
  if (run.shard) {
    json declared = json::array();
    for (auto& c : run.shard->comparisons)
      declared.push_back({{"name", c.name}, {"baseline", c.baseline}, {"candidate", c.candidate}});
    j["shard"] = {{"index", run.shard->index}, {"count", run.shard->count}, {"benchmarks", run.shard->benchmarks},
                  {"comparisons", declared}};
  }
  if (run.interrupted_by) j["interrupted"] = true;
  if (!run.history_error.empty()) j["history_error"] = valid_utf8(run.history_error);
  return j;
}

void write_results_json(const RunResult& run, const std::filesystem::path& file) {
  // Every string was made valid UTF-8 where it entered; replacing here is the last guard.
  write_file_atomically(file, results_document(run).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

void write_unfinished_results_json(const std::string& error, const std::filesystem::path& file,
                                   int interrupted_by) noexcept {
  try {
    json counts = json::object();
    for (auto s : kAllStatuses) counts[to_string(s)] = 0;
    json j = {{"schema", kResultsSchema}, {"tool", "ci-bench"},      {"error", valid_utf8(error)},
              {"counts", counts},         {"exit_code", interrupted_by ? 128 + interrupted_by : 2}, {"benchmarks", json::array()},
              {"metric_definitions", metric_definitions()}};
    if (interrupted_by) j["interrupted"] = true;
    write_file_atomically(file, j.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  } catch (const std::exception&) { // the caller reports the first failure; this one adds nothing
  }
}

} // namespace cibench

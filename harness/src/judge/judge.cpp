#include "judge/judge.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace cibench {
namespace {

std::int64_t instructions(const Metrics& m) {
  auto it = m.find("instructions");
  return it == m.end() ? 0 : it->second;
}

bool changed(const Metrics& before, const Metrics& now, const std::string& metric) {
  auto b = before.find(metric), n = now.find(metric);
  return b != before.end() && n != now.end() && b->second != n->second;
}

// "Which allocation site grew" and "which symbol grew": named only against a comparable baseline
// that recorded them, when the figure they explain moved.
void explain_size_changes(BenchmarkResult& r, const Measurement& m, const Metrics& current) {
  const Baseline& b = *r.baseline;
  // A baseline that allocated nothing has no sites, and knows it: every site now is new.
  const auto total = b.metrics.find("heap_total_bytes");
  const bool allocated_nothing = total != b.metrics.end() && total->second == 0;
  // The peak, unless only the total has a verdict worse than the peak's (it failed, the peak moved).
  const auto status_of = [&](const char* metric) {
    for (auto& v : r.verdict.metrics)
      if (v.metric == metric) return v.status == Status::fail ? 2 : v.status == Status::warn ? 1 : 0;
    return 0;
  };
  const bool total_first = status_of("heap_total_bytes") > status_of("heap_peak_bytes");
  if (!b.allocation_sites_total.empty() || allocated_nothing) {
    const bool complete = b.allocation_sites_complete || allocated_nothing;
    if (changed(b.metrics, current, "heap_peak_bytes") && !total_first) {
      r.allocation_site_metric = "heap_peak_bytes";
      r.allocation_site_changes = top_function_changes(b.allocation_sites_peak, m.allocation_sites_peak, complete);
      r.allocation_site_changes_floor = floor_of_kept(b.allocation_sites_peak, complete);
    } else if (changed(b.metrics, current, "heap_total_bytes")) {
      r.allocation_site_metric = "heap_total_bytes";
      r.allocation_site_changes = top_function_changes(b.allocation_sites_total, m.allocation_sites_total, complete);
      r.allocation_site_changes_floor = floor_of_kept(b.allocation_sites_total, complete);
    }
  }
  const auto sizes = metrics_of(MetricSource::elf);
  const bool size_changed = std::any_of(sizes.begin(), sizes.end(), [&](auto& metric) {
    return metric != "file_bytes" && changed(b.metrics, current, metric);
  });
  if (!b.symbols.empty() && size_changed) {
    r.symbol_changes = top_function_changes(b.symbols, m.symbols, b.symbols_complete);
    r.symbol_changes_floor = floor_of_kept(b.symbols, b.symbols_complete);
  }
}

// The same content fingerprint as the baseline's (so the same code, inputs and Valgrind), a run
// that saw every file as the baseline's run saw it, yet other counts: the raw events that moved.
std::vector<std::string> moved_since_baseline(const Measurement& m, const Baseline& b) {
  std::vector<std::string> moved;
  if (m.reused || m.content_fingerprint.empty() || m.content_fingerprint != b.content_fingerprint ||
      m.manifest.empty() || m.manifest != b.manifest)
    return moved;
  for (auto& [event, count] : m.events)
    if (auto it = b.metrics.find(event); it != b.metrics.end() && it->second != count)
      moved.push_back(fmt::format("{} {} in the baseline, {} now", event, it->second, count));
  return moved;
}

} // namespace

Verdict judge_verdict(const Metrics& current, const Metrics* baseline, bool comparable, bool unstable, bool failed,
                      const Thresholds& thresholds) {
  // Counts from another toolchain say nothing about this change: only budgets, which need no
  // baseline, still judge them.
  Verdict v = judge(current, comparable ? baseline : nullptr, thresholds);
  if (baseline && !comparable) {
    if (v.status != Status::fail) v.status = Status::incomparable;
    for (auto& mv : v.metrics) // shown beside the count, never turned into a change
      if (auto it = baseline->find(mv.metric); it != baseline->end()) mv.baseline = it->second;
  }
  if (unstable) v.status = Status::nondeterministic;
  if (failed) v.status = Status::error;
  return v;
}

BenchmarkResult judge_benchmark(Measurement m, BaselineLookup found, const Thresholds& thresholds) {
  BenchmarkResult r;
  r.failure = m.failure ? m.failure : found.failure;
  r.baseline = std::move(found.baseline);
  if (r.baseline) r.toolchain_differences = toolchain_differences(r.baseline->toolchain, m.toolchain);
  const bool comparable = r.baseline && r.toolchain_differences.empty();
  const Metrics current = with_derived(m.events);
  r.unstable_events = m.unstable_events;
  if (comparable && r.unstable_events.empty()) r.unstable_events = moved_since_baseline(m, *r.baseline);
  r.verdict = judge_verdict(current, r.baseline ? &r.baseline->metrics : nullptr, comparable, !r.unstable_events.empty(),
                            r.failure.has_value(), thresholds);
  if (comparable && !r.failure && !r.baseline->functions.empty() && instructions(r.baseline->metrics) != instructions(current)) {
    r.function_changes = top_function_changes(r.baseline->functions, m.functions, r.baseline->functions_complete);
    r.function_changes_floor = floor_of_kept(r.baseline->functions, r.baseline->functions_complete);
    r.lines = line_changes(r.baseline->lines, r.baseline->lines_complete, m.lines, instructions(current));
  }
  if (comparable && !r.failure) explain_size_changes(r, m, current);
  r.reported_functions = top_functions(m.functions);
  r.reported_allocation_sites = top_allocation_sites(m.allocation_sites_total, m.allocation_sites_peak);
  r.reported_symbols = top_functions(m.symbols, 0.9, 10);
  r.measurement = std::move(m);
  return r;
}

RunResult judge_run(MeasurementSet set, const std::map<std::string, BaselineLookup>& baselines,
                    const std::vector<BenchmarkPlan>& plan, const std::vector<Comparison>& declared) {
  std::map<std::string, const BenchmarkPlan*> planned;
  for (auto& p : plan) planned[p.name] = &p;
  RunResult run;
  run.host = set.host;
  std::map<std::string, Metrics> measured;
  std::vector<std::string> names;
  for (auto& m : set.measurements) {
    auto p = planned.find(m.name);
    if (p == planned.end())
      throw Error(ErrorKind::internal, fmt::format("measured '{}', which is not in the plan", m.name));
    auto b = baselines.find(m.name);
    names.push_back(m.name);
    if (m.ok()) measured[m.name] = with_derived(m.events);
    run.benchmarks.push_back(judge_benchmark(std::move(m), b == baselines.end() ? BaselineLookup{} : b->second,
                                             p->second->settings.thresholds));
  }
  run.comparisons = compare(declared, measured, names);
  return run;
}

} // namespace cibench

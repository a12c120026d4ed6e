#include "judge/judge.hpp"

#include <fmt/format.h>

namespace cibench {
namespace {

std::int64_t instructions(const Metrics& m) {
  auto it = m.find("instructions");
  return it == m.end() ? 0 : it->second;
}

} // namespace

BenchmarkResult judge_benchmark(Measurement m, BaselineLookup found, const Thresholds& thresholds) {
  BenchmarkResult r;
  r.failure = m.failure ? m.failure : found.failure;
  r.baseline = std::move(found.baseline);
  if (r.baseline) r.toolchain_differences = toolchain_differences(r.baseline->toolchain, m.toolchain);
  // Counts from another toolchain say nothing about this change: only budgets, which need no
  // baseline, still judge them.
  const bool comparable = r.baseline && r.toolchain_differences.empty();
  const Metrics current = with_derived(m.events);
  r.verdict = judge(current, comparable ? &r.baseline->metrics : nullptr, thresholds);
  if (r.baseline && !comparable) {
    if (r.verdict.status != Status::fail) r.verdict.status = Status::incomparable;
    for (auto& mv : r.verdict.metrics) // shown beside the count, never turned into a change
      if (auto it = r.baseline->metrics.find(mv.metric); it != r.baseline->metrics.end()) mv.baseline = it->second;
  }
  if (r.failure) r.verdict.status = Status::error;
  if (comparable && !r.failure && !r.baseline->functions.empty() && instructions(r.baseline->metrics) != instructions(current))
    r.function_changes = top_function_changes(r.baseline->functions, m.functions, r.baseline->functions_complete);
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

#include "baseline/reuse.hpp"

namespace cibench {

std::optional<Measurement> reuse_baseline(const BenchmarkPlan& b, const std::string& fingerprint,
                                          const Toolchain& toolchain, const BaselineLookup& found, Observer& observer) {
  if (b.setup_failure || fingerprint.empty() || !found.baseline) return std::nullopt;
  const Baseline& baseline = *found.baseline;
  if (baseline.content_fingerprint != fingerprint || baseline.manifest.empty() ||
      !toolchain_differences(baseline.toolchain, toolchain).empty())
    return std::nullopt;
  // A count below zero is no measurement: such a file was edited, and is measured, not believed.
  for (auto& [metric, count] : baseline.metrics)
    if (count < 0) return std::nullopt;
  if (manifest_change(baseline.manifest, b.program, observer)) return std::nullopt;
  Measurement m;
  m.name = b.name;
  m.tool = toolchain.tool;
  m.toolchain = toolchain;
  for (auto& [metric, count] : baseline.metrics)
    if (!is_derived_metric(metric)) m.events[metric] = count;
  if (m.events.empty()) return std::nullopt;
  m.functions = baseline.functions;
  m.lines = baseline.lines;
  // What the baseline kept of them (its top sites): enough for results.json and the history.
  m.allocation_sites_peak = baseline.allocation_sites_peak;
  m.allocation_sites_total = baseline.allocation_sites_total;
  m.content_fingerprint = fingerprint;
  m.manifest = baseline.manifest;
  m.reused = true;
  return m;
}

} // namespace cibench

#include "metrics/metrics.hpp"

#include <algorithm>

namespace cibench {
namespace {

bool has_all_cache_events(const Metrics& m) {
  return std::all_of(kCacheEvents.begin(), kCacheEvents.end(), [&](auto& e) { return m.count(e); });
}

// The hits as the formulas give them, before flooring.
std::map<std::string, std::int64_t> formula_hits(const Metrics& m) {
  const std::int64_t ram = m.at("ILmr") + m.at("DLmr") + m.at("DLmw");
  const std::int64_t l1_misses = m.at("I1mr") + m.at("D1mr") + m.at("D1mw");
  const std::int64_t accesses = m.at("Ir") + m.at("Dr") + m.at("Dw");
  return {{"ram_hits", ram}, {"l2_hits", l1_misses - ram}, {"l1_hits", accesses - l1_misses}};
}

} // namespace

Metrics with_derived(Metrics m) {
  if (m.count("Ir")) m["instructions"] = m["Ir"];
  if (!has_all_cache_events(m)) return m;
  // One run always has LL misses <= L1 misses <= accesses, so its hits are never negative. A region
  // is the difference of two runs whose miss counts differ by a few (their layouts differ), so a
  // hit count can come out a little below 0 there; no region hits fewer than zero times.
  for (auto& [metric, hits] : formula_hits(m)) m[metric] = std::max<std::int64_t>(0, hits);
  m["total_rw"] = m["Ir"] + m["Dr"] + m["Dw"];
  m["estimated_cycles"] = m["l1_hits"] + 5 * m["l2_hits"] + 35 * m["ram_hits"];
  return m;
}

std::map<std::string, std::int64_t> negative_hits(const Metrics& events) {
  std::map<std::string, std::int64_t> negative;
  if (!has_all_cache_events(events)) return negative;
  for (auto& [metric, hits] : formula_hits(events))
    if (hits < 0) negative[metric] = hits;
  return negative;
}

std::vector<std::string> floored_hits(const Metrics& events) {
  std::vector<std::string> floored;
  for (auto& [metric, hits] : negative_hits(events)) floored.push_back(metric + " " + std::to_string(hits));
  return floored;
}

bool is_known_metric(std::string_view name) {
  auto in = [&](const std::vector<std::string>& v) {
    return std::find(v.begin(), v.end(), name) != v.end();
  };
  return in(kCacheEvents) || in(kDerivedMetrics) || in(kHeapMetrics) || in(kSizeMetrics);
}

bool is_byte_metric(std::string_view name) { return name.ends_with("_bytes") && is_known_metric(name); }

bool is_counted_metric(std::string_view name) {
  return std::find(kCacheEvents.begin(), kCacheEvents.end(), name) != kCacheEvents.end() || is_derived_metric(name);
}

bool is_derived_metric(std::string_view name) {
  return std::find(kDerivedMetrics.begin(), kDerivedMetrics.end(), name) != kDerivedMetrics.end();
}

const std::vector<DisplayedMetric>& displayed_metrics() {
  static const std::vector<DisplayedMetric> list = {
      {"instructions", "Instructions"},         {"l1_hits", "L1 Hits"},
      {"l2_hits", "L2 Hits"},                   {"ram_hits", "RAM Hits"},
      {"total_rw", "Total read+write"},         {"estimated_cycles", "Estimated Cycles"},
      {"heap_total_bytes", "Heap allocated"},   {"heap_total_blocks", "Heap blocks"},
      {"heap_peak_bytes", "Heap peak"},         {"heap_peak_blocks", "Heap peak blocks"},
      {"heap_end_bytes", "Heap at exit"},       {"file_bytes", "File size"},
      {"text_bytes", "Code (.text)"},           {"rodata_bytes", "Read-only data"},
      {"data_bytes", "Data"},                   {"bss_bytes", "Zeroed data (.bss)"},
  };
  return list;
}

bool may_be_negative(std::string_view name) {
  return name != "Ir" && std::find(kCacheEvents.begin(), kCacheEvents.end(), name) != kCacheEvents.end();
}

} // namespace cibench

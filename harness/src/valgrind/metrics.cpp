#include "valgrind/metrics.hpp"

#include <algorithm>

namespace cibench {

Metrics with_derived(Metrics m) {
  if (m.count("Ir")) m["instructions"] = m["Ir"];
  bool all_cache_events =
      std::all_of(kCacheEvents.begin(), kCacheEvents.end(), [&](auto& e) { return m.count(e); });
  if (!all_cache_events) return m;
  const std::int64_t ram = m["ILmr"] + m["DLmr"] + m["DLmw"];
  const std::int64_t l1_misses = m["I1mr"] + m["D1mr"] + m["D1mw"];
  const std::int64_t accesses = m["Ir"] + m["Dr"] + m["Dw"];
  m["ram_hits"] = ram;
  m["l2_hits"] = l1_misses - ram;
  m["l1_hits"] = accesses - l1_misses;
  m["total_rw"] = accesses;
  m["estimated_cycles"] = m["l1_hits"] + 5 * m["l2_hits"] + 35 * ram;
  return m;
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

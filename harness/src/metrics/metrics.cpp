#include "metrics/metrics.hpp"

#include "util/byte_size.hpp"

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

const MetricInfo* find_metric(std::string_view name) {
  for (auto& m : kMetricTable)
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<std::string> metrics_of(MetricSource source) {
  std::vector<std::string> names;
  for (auto& m : kMetricTable)
    if (m.source == source) names.emplace_back(m.name);
  return names;
}

std::string known_metric_names() {
  std::string names;
  for (auto& m : kMetricTable) names += (names.empty() ? "" : " ") + std::string(m.name);
  return names;
}

std::string_view to_string(MetricUnit unit) {
  switch (unit) {
  case MetricUnit::events: return "events";
  case MetricUnit::bytes: return "bytes";
  case MetricUnit::blocks: return "blocks";
  }
  return "events";
}

std::string_view to_string(MetricSource source) {
  switch (source) {
  case MetricSource::count_run: return "count_run";
  case MetricSource::derived: return "derived";
  case MetricSource::dhat: return "dhat";
  case MetricSource::elf: return "elf";
  }
  return "count_run";
}

bool is_known_metric(std::string_view name) { return find_metric(name) != nullptr; }

bool is_byte_metric(std::string_view name) {
  const MetricInfo* m = find_metric(name);
  return m && m->unit == MetricUnit::bytes;
}

std::string format_metric_value(std::string_view metric, std::int64_t value) {
  return is_byte_metric(metric) ? format_byte_size(value) : std::to_string(value);
}

bool is_derived_metric(std::string_view name) {
  const MetricInfo* m = find_metric(name);
  return m && m->source == MetricSource::derived;
}

bool is_counted_metric(std::string_view name) {
  const MetricInfo* m = find_metric(name);
  return m && (m->source == MetricSource::count_run || m->source == MetricSource::derived);
}

bool may_be_negative(std::string_view name) {
  const MetricInfo* m = find_metric(name);
  return m && m->source == MetricSource::count_run && name != "Ir";
}

} // namespace cibench

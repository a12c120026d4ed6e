#pragma once
// Metric names and the derived metrics, as iai defines them (formulas in the README, "What the output says").
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cibench {

// Metric name -> count. Signed: a region's metrics are a difference of two runs.
using Metrics = std::map<std::string, std::int64_t>;

// Cachegrind's events with cache simulation on, in the order of its `events:` line.
inline const std::vector<std::string> kCacheEvents = {"Ir", "I1mr", "ILmr", "Dr", "D1mr",
                                                      "DLmr", "Dw", "D1mw", "DLmw"};

inline const std::vector<std::string> kDerivedMetrics = {
    "instructions", "l1_hits", "l2_hits", "ram_hits", "total_rw", "estimated_cycles"};

// Heap figures of a DHAT run (`heap = true`), in bytes and blocks; definitions in docs/heap-and-size.md.
inline const std::vector<std::string> kHeapMetrics = {"heap_total_bytes", "heap_total_blocks", "heap_peak_bytes",
                                                      "heap_peak_blocks", "heap_end_bytes"};

// Sizes of a built file ([[artifact]]): the whole file and its loaded ELF section groups.
inline const std::vector<std::string> kSizeMetrics = {"file_bytes", "text_bytes", "rodata_bytes", "data_bytes",
                                                      "bss_bytes"};

// Adds the derived metrics to raw events: `instructions` always (it is Ir), the cache-based ones
// only when every cache event is present. Hit counts are floored at 0 (see floored_hits).
Metrics with_derived(Metrics events);

// The hit metrics whose formula gives less than 0 for `events` (a region's, where the miss counts
// of its two runs differ by a few), as "l2_hits -1": with_derived counts them as 0.
std::vector<std::string> floored_hits(const Metrics& events);
// The same as numbers: hit metric -> its negative formula value.
std::map<std::string, std::int64_t> negative_hits(const Metrics& events);

bool is_known_metric(std::string_view name);
bool is_derived_metric(std::string_view name);
bool is_byte_metric(std::string_view name); // heap and size metrics counted in bytes: shown as KiB / MiB
bool is_counted_metric(std::string_view name); // measured by the count run (Cachegrind, Callgrind)
// A calibrated region's raw events are one run's minus another's, and every one but Ir may dip
// below zero by a few (the two runs' layouts differ: measure.cpp's subtract). No other count can:
// a negative one read from a file (a baseline, a shard's results.json) is refused.
bool may_be_negative(std::string_view name);

// The metrics the terminal summary shows, in order, with the label a person reads.
struct DisplayedMetric {
  std::string name;
  std::string label;
};
const std::vector<DisplayedMetric>& displayed_metrics();

} // namespace cibench

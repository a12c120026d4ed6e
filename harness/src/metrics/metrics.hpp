#pragma once
// Every metric ci-bench knows, in one table: its name, what a person reads, its unit, what yields
// it and its default thresholds. Config validation, judging, the terminal summary and results.json
// (whose "metric_definitions" the scripts in tools/ read) all take it from here; a new metric is a
// row of kMetricTable plus the code of the producer that yields it (docs/architecture.md).
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cibench {

// Metric name -> count. Signed: a region's metrics are a difference of two runs.
using Metrics = std::map<std::string, std::int64_t>;

enum class MetricUnit { events, bytes, blocks };
// What yields a metric: Cachegrind's or Callgrind's count run, a formula over its events
// (with_derived), a DHAT run (`heap = true`), or an ELF file's sizes ([[artifact]]).
enum class MetricSource { count_run, derived, dhat, elf };

struct MetricInfo {
  std::string_view name;
  std::string_view label;             // what the summary and the PR comment show; "" for raw events, not shown
  MetricUnit unit;
  MetricSource source;
  std::optional<double> warn_pct = {}; // default thresholds; none: reported, never gated by default
  std::optional<double> fail_pct = {};
  bool primary = false;               // the one a benchmark of this source is known by in a report
};

// In the order reports list them. Cachegrind's events come first, in the order of its `events:`
// line with cache simulation on. Heap use warns past +10 % and fails past +25 % (the SLO
// document), code and read-only data gate like instructions; figures that are often 0 (bytes live
// at exit, .bss) are not gated by default, as any rise from 0 is an infinite percentage.
inline constexpr std::array kMetricTable = {
    MetricInfo{"Ir", "", MetricUnit::events, MetricSource::count_run},
    MetricInfo{"I1mr", "", MetricUnit::events, MetricSource::count_run},
    MetricInfo{"ILmr", "", MetricUnit::events, MetricSource::count_run},
    MetricInfo{"Dr", "", MetricUnit::events, MetricSource::count_run},
    MetricInfo{"D1mr", "", MetricUnit::events, MetricSource::count_run},
    MetricInfo{"DLmr", "", MetricUnit::events, MetricSource::count_run},
    MetricInfo{"Dw", "", MetricUnit::events, MetricSource::count_run},
    MetricInfo{"D1mw", "", MetricUnit::events, MetricSource::count_run},
    MetricInfo{"DLmw", "", MetricUnit::events, MetricSource::count_run},
    MetricInfo{"instructions", "Instructions", MetricUnit::events, MetricSource::derived, 2.0, 10.0, true},
    MetricInfo{"l1_hits", "L1 Hits", MetricUnit::events, MetricSource::derived},
    MetricInfo{"l2_hits", "L2 Hits", MetricUnit::events, MetricSource::derived},
    MetricInfo{"ram_hits", "RAM Hits", MetricUnit::events, MetricSource::derived},
    MetricInfo{"total_rw", "Total read+write", MetricUnit::events, MetricSource::derived},
    MetricInfo{"estimated_cycles", "Estimated Cycles", MetricUnit::events, MetricSource::derived},
    MetricInfo{"heap_total_bytes", "Heap allocated", MetricUnit::bytes, MetricSource::dhat, 10.0, 25.0},
    MetricInfo{"heap_total_blocks", "Heap blocks", MetricUnit::blocks, MetricSource::dhat, 10.0, 25.0},
    MetricInfo{"heap_peak_bytes", "Heap peak", MetricUnit::bytes, MetricSource::dhat, 10.0, 25.0, true},
    MetricInfo{"heap_peak_blocks", "Heap peak blocks", MetricUnit::blocks, MetricSource::dhat, 10.0, 25.0},
    MetricInfo{"heap_end_bytes", "Heap at exit", MetricUnit::bytes, MetricSource::dhat},
    MetricInfo{"file_bytes", "File size", MetricUnit::bytes, MetricSource::elf},
    MetricInfo{"text_bytes", "Code (.text)", MetricUnit::bytes, MetricSource::elf, 2.0, 10.0, true},
    MetricInfo{"rodata_bytes", "Read-only data", MetricUnit::bytes, MetricSource::elf, 2.0, 10.0},
    MetricInfo{"data_bytes", "Data", MetricUnit::bytes, MetricSource::elf},
    MetricInfo{"bss_bytes", "Zeroed (.bss)", MetricUnit::bytes, MetricSource::elf},
};

const MetricInfo* find_metric(std::string_view name); // nullptr when unknown
// The names of one source's metrics, in table order.
std::vector<std::string> metrics_of(MetricSource source);
// Every name, space-separated: what an error about an unknown metric lists.
std::string known_metric_names();
std::string_view to_string(MetricUnit unit);
std::string_view to_string(MetricSource source);

// Cachegrind's events with cache simulation on, in the order of its `events:` line.
inline const std::vector<std::string> kCacheEvents = metrics_of(MetricSource::count_run);

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
bool is_byte_metric(std::string_view name); // counted in bytes: shown as KiB / MiB, gated by a size too
// A metric's value as a person reads it: a byte metric as a size ("47.1 KiB"), any other as its count.
std::string format_metric_value(std::string_view metric, std::int64_t value);
bool is_counted_metric(std::string_view name); // measured by the count run (Cachegrind, Callgrind)
// A calibrated region's raw events are one run's minus another's, and every one but Ir may dip
// below zero by a few (the two runs' layouts differ: measure.cpp's subtract). No other count can:
// a negative one read from a file (a baseline, a shard's results.json) is refused.
bool may_be_negative(std::string_view name);

} // namespace cibench

#pragma once
// From a DHAT profile to ci-bench's heap metrics and allocation sites, for a whole process or for
// a suite benchmark's body. The body runs inside the header's cibench_heap_region() frame (the
// --heap mode), so an allocation belongs to the body exactly when that frame is on its stack.
#include "valgrind/dhat/dhat_parser.hpp"
#include "metrics/metrics.hpp"
#include "valgrind/profile.hpp"

#include <filesystem>
#include <string_view>

namespace cibench {

inline constexpr std::string_view kHeapRegionFrame = "cibench_heap_region";
inline constexpr std::string_view kHeapBallastFrame = "cibench_heap_ballast";

struct HeapFigures {
  Metrics metrics;                        // metrics_of(MetricSource::dhat)
  FunctionInstructions peak_by_site;      // heap_peak_bytes of each allocation site
  FunctionInstructions total_by_site;     // heap_total_bytes of each allocation site
};

// `region_only`: only the sites whose stack passes through kHeapRegionFrame count. A site is named
// by up to three frames from the innermost project frame (a file under `project_dir`; else the
// innermost frame with source outside /usr; else the innermost frame past the allocator), each
// "function (file)" with files under `project_dir` relative to it, joined by " < ".
HeapFigures heap_figures(const DhatProfile& profile, const std::filesystem::path& project_dir, bool region_only);

// The body's own peak, from the profile of a --heap-peak run with a ballast of `ballast_bytes`,
// more than the process ever held in its --heap run. The ballast is live through the body only, so
// DHAT's global peak (tg) falls inside the body, at the first or last moment where "what the rest
// of the process holds (R) + what the body holds (B)" is highest; the run exits right after the
// body, so DHAT's end snapshot (te) is the body's end. During the body every allocation is the
// body's, so R can only fall (the body frees what it did not allocate). If R is the same at tg
// and at te, R is constant from tg on, and then B(tg) is B's maximum: before tg R was no lower and
// R + B no higher; after tg R + B was no higher with R equal. heap_peak_bytes / heap_peak_blocks
// are B's bytes and blocks at tg; the allocation sites are the body's at tg.
// Throws Error(setup) when the profile cannot prove it: the ballast was not live at the peak (the
// process held more than in its --heap run) or R fell after tg.
HeapFigures region_peak(const DhatProfile& profile, std::int64_t ballast_bytes, const std::filesystem::path& project_dir);

} // namespace cibench

#pragma once
// From a DHAT profile to ci-bench's heap metrics and allocation sites, for a whole process or for
// a suite benchmark's body. The body runs inside the header's cibench_heap_region() frame (the
// --heap mode), so an allocation belongs to the body exactly when that frame is on its stack.
#include "valgrind/dhat/dhat_parser.hpp"
#include "valgrind/metrics.hpp"
#include "valgrind/profile.hpp"

#include <filesystem>
#include <string_view>

namespace cibench {

inline constexpr std::string_view kHeapRegionFrame = "cibench_heap_region";

struct HeapFigures {
  Metrics metrics;                        // kHeapMetrics
  FunctionInstructions peak_by_site;      // heap_peak_bytes of each allocation site
  FunctionInstructions total_by_site;     // heap_total_bytes of each allocation site
};

// `region_only`: only the sites whose stack passes through kHeapRegionFrame count. A site is named
// by up to three frames from the innermost project frame (a file under `project_dir`; else the
// innermost frame with source outside /usr; else the innermost frame past the allocator), each
// "function (file)" with files under `project_dir` relative to it, joined by " < ".
HeapFigures heap_figures(const DhatProfile& profile, const std::filesystem::path& project_dir, bool region_only);

} // namespace cibench

#pragma once
// The allocation sites a report keeps (results.json's "allocation_sites", the history): the biggest
// by bytes allocated, until they cover 99 % of them, at most 10, each with its bytes live at the
// peak. One rule for every writer, so a point imported from results.json or from a baseline equals
// the point a live run records.
#include "valgrind/profile.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace cibench {

struct AllocationSiteBytes {
  std::int64_t total_bytes = 0; // allocated there over the run (or the suite body)
  std::int64_t peak_bytes = 0;  // live there at the peak
  bool operator==(const AllocationSiteBytes&) const = default;
};

using AllocationSites = std::map<std::string, AllocationSiteBytes>; // "function (file)" -> bytes

// A site missing from `peak` held nothing at the peak.
AllocationSites top_allocation_sites(const FunctionInstructions& total, const FunctionInstructions& peak);

} // namespace cibench

#include "judge/allocation_sites.hpp"

#include "judge/function_changes.hpp"

namespace cibench {

AllocationSites top_allocation_sites(const FunctionInstructions& total, const FunctionInstructions& peak) {
  AllocationSites sites;
  for (auto& [site, bytes] : top_functions(total, 0.99, 10)) {
    const auto at_peak = peak.find(site);
    sites[site] = {.total_bytes = bytes, .peak_bytes = at_peak == peak.end() ? 0 : at_peak->second};
  }
  return sites;
}

} // namespace cibench

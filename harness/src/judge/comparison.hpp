#pragma once
// [[compare]]: how two benchmarks of the same run relate, metric by metric.
#include "config/config.hpp"
#include "metrics/metrics.hpp"

#include <map>
#include <string>
#include <vector>

namespace cibench {

struct ComparisonResult {
  Comparison declared;
  std::map<std::string, double> ratio; // candidate / baseline, for metrics both have (baseline != 0)
  std::string error;                   // one side is missing or failed
};

// `measured` holds the metrics of the benchmarks measured without error, by name; `planned`
// every benchmark name of this run, so that a comparison left out by --filter is skipped silently.
std::vector<ComparisonResult> compare(const std::vector<Comparison>& declared,
                                      const std::map<std::string, Metrics>& measured,
                                      const std::vector<std::string>& planned);

} // namespace cibench

#pragma once
// Is the candidate slower than the baseline? Welch's t-test decides significance, a practical
// threshold decides whether it matters; Mann–Whitney U and the effect sizes are reported beside.
#include "wallclock/statistics.hpp"

#include <string>
#include <vector>

namespace cibench {

enum class TimeVerdict { regression, improvement, no_significant_change };
std::string to_string(TimeVerdict v); // "regression", "improvement", "no significant change"

struct TimeComparison {
  stats::WelchTest welch;
  stats::MannWhitney mann_whitney;
  double cohens_d = 0;           // (mean candidate − mean baseline) / pooled sd
  double hedges_g = 0;           // Cohen's d corrected for small samples: what to quote when n is small
  double change_pct = 0;         // (mean candidate / mean baseline − 1) · 100
  double speedup = 1;            // mean baseline / mean candidate: above 1 is faster
  stats::Interval speedup_95;    // bootstrap, seeded
  TimeVerdict verdict = TimeVerdict::no_significant_change;
};

// A regression: p < alpha and a slowdown past `threshold_pct`; an improvement: p < alpha and a
// speed-up past it; anything else is no significant change. Throws Error (from the statistics)
// when either side has fewer than two samples.
TimeComparison compare_times(const std::vector<double>& baseline_ns, const std::vector<double>& candidate_ns,
                             double threshold_pct = 10, double alpha = 0.05);

} // namespace cibench

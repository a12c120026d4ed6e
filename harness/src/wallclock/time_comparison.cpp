#include "wallclock/time_comparison.hpp"

namespace cibench {

std::string to_string(TimeVerdict v) {
  switch (v) {
  case TimeVerdict::regression: return "regression";
  case TimeVerdict::improvement: return "improvement";
  case TimeVerdict::no_significant_change: return "no significant change";
  }
  return "?";
}

TimeComparison compare_times(const std::vector<double>& base, const std::vector<double>& cand, double threshold_pct,
                             double alpha) {
  TimeComparison c;
  c.welch = stats::welch_t_test(base, cand);
  c.mann_whitney = stats::mann_whitney_u(base, cand);
  c.cohens_d = stats::cohens_d(base, cand);
  c.hedges_g = stats::hedges_g(base, cand);
  c.change_pct = (stats::mean(cand) / stats::mean(base) - 1) * 100;
  c.speedup = stats::mean(base) / stats::mean(cand);
  c.speedup_95 = stats::bootstrap_ratio_of_means_interval(base, cand);
  if (c.welch.p < alpha && c.change_pct > threshold_pct) c.verdict = TimeVerdict::regression;
  else if (c.welch.p < alpha && c.change_pct < -threshold_pct) c.verdict = TimeVerdict::improvement;
  return c;
}

} // namespace cibench

#include "util/error.hpp"
#include "wallclock/time_comparison.hpp"

#include <boost/test/tools/floating_point_comparison.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <random>

using namespace cibench;

namespace {
// Seeded normal samples: the same numbers every run.
std::vector<double> samples(double mean, double sd, std::uint32_t seed, int n = 50) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> d(mean, sd);
  std::vector<double> x(n);
  for (auto& v : x) v = d(rng);
  return x;
}
} // namespace

BOOST_AUTO_TEST_SUITE(time_comparison)

BOOST_AUTO_TEST_CASE(a_20_percent_slowdown_is_a_regression) {
  auto c = compare_times(samples(100, 2, 1), samples(120, 2, 2));
  BOOST_TEST((c.verdict == TimeVerdict::regression));
  BOOST_TEST(c.welch.p < 1e-6);
  BOOST_TEST(c.change_pct > 15);
  BOOST_TEST(c.speedup < 1);
  BOOST_TEST(c.speedup_95.low <= c.speedup);
  BOOST_TEST(c.speedup_95.high >= c.speedup);
}

BOOST_AUTO_TEST_CASE(the_same_distribution_is_no_significant_change) {
  auto c = compare_times(samples(100, 2, 3), samples(100, 2, 4));
  BOOST_TEST((c.verdict == TimeVerdict::no_significant_change));
  BOOST_TEST(std::abs(c.change_pct) < 2);
}

BOOST_AUTO_TEST_CASE(significant_but_below_the_practical_threshold_is_no_significant_change) {
  auto c = compare_times(samples(100, 1, 5), samples(105, 1, 6));
  BOOST_TEST(c.welch.p < 0.05);
  BOOST_TEST((c.verdict == TimeVerdict::no_significant_change));
  BOOST_TEST((compare_times(samples(100, 1, 5), samples(105, 1, 6), 2).verdict == TimeVerdict::regression));
}

BOOST_AUTO_TEST_CASE(a_speedup_is_an_improvement) {
  auto c = compare_times(samples(100, 2, 7), samples(70, 2, 8));
  BOOST_TEST((c.verdict == TimeVerdict::improvement));
  BOOST_TEST(c.speedup > 1.3);
  BOOST_TEST(c.cohens_d < -5);
  BOOST_TEST(c.hedges_g < -5);
  BOOST_TEST(std::abs(c.hedges_g) < std::abs(c.cohens_d)); // the correction only shrinks
  BOOST_TEST((c.mann_whitney.method == stats::MannWhitneyMethod::normal_approximation)); // 50 a side
}

BOOST_AUTO_TEST_CASE(small_samples_get_the_exact_mann_whitney_p) {
  auto c = compare_times(samples(100, 2, 9, 10), samples(130, 2, 10, 10));
  BOOST_TEST((c.mann_whitney.method == stats::MannWhitneyMethod::exact));
  BOOST_TEST(c.mann_whitney.u == 0.0); // U of the baseline: none of its 10 times is above any of the candidate's
  BOOST_TEST(c.mann_whitney.p == 2.0 / 184756, boost::test_tools::tolerance(1e-9)); // 2 / C(20, 10)
  BOOST_TEST((c.verdict == TimeVerdict::regression));
}

BOOST_AUTO_TEST_CASE(too_few_samples_throw_for_the_caller_to_report) {
  BOOST_CHECK_THROW(compare_times({100}, samples(100, 2, 11)), Error);
  BOOST_CHECK_THROW(compare_times(samples(100, 2, 11), {}), Error);
}

BOOST_AUTO_TEST_SUITE_END()

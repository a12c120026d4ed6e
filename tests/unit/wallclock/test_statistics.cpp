// Known values computed independently of this project: Student-t tables, closed forms of the
// incomplete beta, the worked example of Welch's test on Wikipedia ("Welch's t-test", example 1),
// published critical values of Mann–Whitney U, and Python for the rest (the statistics and math
// modules; exact Mann–Whitney p by enumerating every arrangement with itertools.combinations and
// exact fractions, cross-checked by the q-binomial coefficients [n1 + n2 choose n1]).
#include "util/error.hpp"
#include "wallclock/statistics.hpp"

#include <boost/test/tools/floating_point_comparison.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <tuple>

using namespace cibench::stats;
namespace tt = boost::test_tools;

namespace {
const std::vector<double> kA1 = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
const std::vector<double> kA2 = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};
} // namespace

BOOST_AUTO_TEST_SUITE(statistics)

BOOST_AUTO_TEST_CASE(summary_of_known_samples) {
  Summary s = summarize({2, 4, 4, 4, 5, 5, 7, 9});
  BOOST_TEST(s.n == 8u);
  BOOST_TEST(s.mean == 5.0);
  BOOST_TEST(s.sd == 2.138089935299395, tt::tolerance(1e-12)); // statistics.stdev
  BOOST_TEST(s.min == 2.0);
  BOOST_TEST(s.max == 9.0);
  BOOST_TEST(s.median == 4.5);
  BOOST_CHECK_THROW(summarize({}), cibench::Error);
}

BOOST_AUTO_TEST_CASE(quantiles_interpolate_between_closest_ranks) {
  BOOST_TEST(quantile({1, 2, 3, 4}, 0.95) == 3.85, tt::tolerance(1e-12)); // NumPy's default, type 7
  BOOST_TEST(quantile({4, 1, 3, 2}, 0.5) == 2.5);
  BOOST_TEST(quantile({7}, 0.99) == 7.0);
  BOOST_TEST(quantile({1, 2, 3, 4}, 0.0) == 1.0);
  BOOST_TEST(quantile({1, 2, 3, 4}, 1.0) == 4.0);
}

BOOST_AUTO_TEST_CASE(incomplete_beta_matches_closed_forms) {
  BOOST_TEST(regularized_incomplete_beta(2, 3, 0.5) == 11.0 / 16, tt::tolerance(1e-12)); // binomial sum
  BOOST_TEST(regularized_incomplete_beta(1, 1, 0.37) == 0.37, tt::tolerance(1e-12));    // uniform
  BOOST_TEST(regularized_incomplete_beta(0.5, 0.5, 0.3) == 0.36901011956554536, tt::tolerance(1e-10)); // arcsine
  BOOST_TEST(regularized_incomplete_beta(5, 2, 0.9) == 1 - regularized_incomplete_beta(2, 5, 0.1), tt::tolerance(1e-12));
  BOOST_TEST(regularized_incomplete_beta(3, 4, 0) == 0.0);
  BOOST_TEST(regularized_incomplete_beta(3, 4, 1) == 1.0);
}

BOOST_AUTO_TEST_CASE(student_t_matches_tabulated_quantiles) {
  // Two-sided 95 % critical values from a standard t table.
  const std::pair<double, double> table[] = {{1, 12.706}, {2, 4.303}, {5, 2.571}, {10, 2.228}, {30, 2.042}, {120, 1.980}};
  for (auto [df, t] : table) {
    BOOST_TEST_CONTEXT("df " << df) {
      BOOST_TEST(student_t_quantile(0.975, df) == t, tt::tolerance(5e-4));
      BOOST_TEST(student_t_cdf(t, df) == 0.975, tt::tolerance(2e-4));
      BOOST_TEST(student_t_cdf(-t, df) == 0.025, tt::tolerance(5e-3));
    }
  }
  BOOST_TEST(student_t_quantile(0.995, 10) == 3.169, tt::tolerance(5e-4));
  BOOST_TEST(student_t_cdf(0, 7) == 0.5, tt::tolerance(1e-12));
  BOOST_TEST(student_t_cdf(1e6, 3) == 1.0, tt::tolerance(1e-9));
  BOOST_TEST(student_t_quantile(0.975, 1e6) == 1.959964, tt::tolerance(1e-5)); // the normal limit
}

BOOST_AUTO_TEST_CASE(mean_interval_uses_student_t) {
  Interval ci = mean_interval({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  BOOST_TEST(ci.low == 5.5 - 2.1658504338007547, tt::tolerance(1e-5)); // t(0.975, 9) = 2.262157
  BOOST_TEST(ci.high == 5.5 + 2.1658504338007547, tt::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(welch_matches_the_worked_example) {
  WelchTest w = welch_t_test(kA1, kA2);
  BOOST_TEST(w.t == -2.455356398286006, tt::tolerance(1e-9));
  BOOST_TEST(w.df == 24.98852929023142, tt::tolerance(1e-9));
  BOOST_TEST(w.p == 0.021, tt::tolerance(0.02)); // published: p = 0.021
  BOOST_TEST(welch_t_test(kA1, kA1).p == 1.0, tt::tolerance(1e-12));
  BOOST_TEST(welch_t_test({1, 1, 1}, {2, 2, 2}).p == 0.0);
  BOOST_CHECK_THROW(welch_t_test({1}, {1, 2}), cibench::Error);
}

BOOST_AUTO_TEST_CASE(mann_whitney_asymptotic_with_continuity_correction) {
  const auto approx = MannWhitneyMethod::normal_approximation;
  MannWhitney m = mann_whitney_u({1, 2, 3}, {4, 5, 6}, approx);
  BOOST_TEST(m.u == 0.0);
  BOOST_TEST(m.p == 0.0808555983700523, tt::tolerance(1e-9)); // erfc(z/√2), z = (4.5 − 0.5)/√(9·7/12), in Python
  BOOST_TEST((m.method == approx));
  BOOST_TEST(mann_whitney_u({4, 5, 6}, {1, 2, 3}, approx).u == 9.0);
  BOOST_TEST(mann_whitney_u({1, 2, 3}, {1, 2, 3}).p == 1.0);
  BOOST_TEST(mann_whitney_u({1, 1, 2}, {2, 3, 3}).u == 0.5); // ranks 1.5 + 1.5 + 3.5 − 6: the tied pair counts a half
}

BOOST_AUTO_TEST_CASE(mann_whitney_exact_p_matches_enumeration) {
  // Python: the fraction of the C(n1 + n2, n1) arrangements whose U is as far from n1·n2/2.
  const auto exact = MannWhitneyMethod::exact;
  MannWhitney m = mann_whitney_u({1, 2, 3}, {4, 5, 6}, exact);
  BOOST_TEST(m.u == 0.0);
  BOOST_TEST(m.p == 0.1, tt::tolerance(1e-12)); // 2 of 20 arrangements
  BOOST_TEST((m.method == exact));
  m = mann_whitney_u({1.1, 3.4, 2.2, 5.0, 0.3}, {2.5, 4.1, 6.2, 7.7, 3.9, 8.8, 0.9}, exact);
  BOOST_TEST(m.u == 8.0);
  BOOST_TEST(m.p == 59.0 / 396, tt::tolerance(1e-12)); // 118 of 792
  m = mann_whitney_u({19.0, 22.1, 14.3, 30.2, 27.5, 21.9}, {25.0, 33.3, 28.1, 31.7}, exact);
  BOOST_TEST(m.u == 3.0);
  BOOST_TEST(m.p == 1.0 / 15, tt::tolerance(1e-12)); // 14 of 210
  BOOST_TEST(mann_whitney_u({4, 5, 6}, {1, 2, 3}, exact).p == 0.1, tt::tolerance(1e-12)); // two-sided: symmetric
}

namespace {
// n values for a and n for b, without ties, with exactly `u` pairs where a's value is larger:
// b_j = 2j, and a_i = 2k − 1 (plus a little, to keep them distinct) lies above exactly k of them.
// The k_i sum to u, the last values of a taking as many as they can.
std::pair<std::vector<double>, std::vector<double>> samples_with_u(int n, int u) {
  std::vector<double> a, b;
  for (int j = 0; j < n; ++j) b.push_back(2.0 * j);
  for (int i = 0; i < n; ++i) {
    const int k = std::min(n, std::max(0, u - n * (n - 1 - i))); // what the n − 1 − i after it cannot take
    u -= k;
    a.push_back(2.0 * k - 1 + 0.001 * i);
  }
  return {a, b};
}
} // namespace

BOOST_AUTO_TEST_CASE(mann_whitney_exact_p_agrees_with_published_critical_values) {
  // Two-sided α = 0.05 tables: U at or below the critical value is significant, one above is not.
  const std::tuple<int, int, double, double> table[] = {
      // n, critical U, p at it, p one above (Python, exact fractions)
      {5, 2, 0.031746031746031744, 0.05555555555555555},
      {8, 13, 0.049883449883449886, 0.06495726495726496},
      {10, 23, 0.04325705254497824, 0.05242590227110351},
      {20, 127, 0.04909032518937244, 0.05239952187284973}};
  for (auto [n, critical, p_at, p_above] : table) {
    BOOST_TEST_CONTEXT("n1 = n2 = " << n << ", U = " << critical) {
      auto [a, b] = samples_with_u(n, critical);
      MannWhitney at = mann_whitney_u(a, b);
      BOOST_TEST(at.u == critical);
      BOOST_TEST((at.method == MannWhitneyMethod::exact)); // automatic: no ties, at most 20 each
      BOOST_TEST(at.p == p_at, tt::tolerance(1e-12));
      BOOST_TEST(at.p <= 0.05);
      auto [a2, b2] = samples_with_u(n, critical + 1);
      MannWhitney above = mann_whitney_u(a2, b2);
      BOOST_TEST(above.p == p_above, tt::tolerance(1e-12));
      BOOST_TEST(above.p > 0.05);
    }
  }
  auto [a, b] = samples_with_u(20, 0);
  BOOST_TEST(mann_whitney_u(a, b).p == 1.4508889103849688e-11, tt::tolerance(1e-9)); // 2 / C(40, 20)
}

BOOST_AUTO_TEST_CASE(mann_whitney_falls_back_to_the_normal_approximation) {
  auto [a, b] = samples_with_u(20, 150);
  BOOST_TEST((mann_whitney_u(a, b).method == MannWhitneyMethod::exact));
  b.push_back(1000); // 21 values: past the exact limit
  BOOST_TEST((mann_whitney_u(a, b).method == MannWhitneyMethod::normal_approximation));
  const std::vector<double> with_tie = {1, 2, 3, 4}, other = {4, 5, 6};
  BOOST_TEST((mann_whitney_u(with_tie, other).method == MannWhitneyMethod::normal_approximation));
  auto names_the_reason = [](const std::string& reason) {
    return [reason](const cibench::Error& e) { return std::string(e.what()).find(reason) != std::string::npos; };
  };
  BOOST_CHECK_EXCEPTION(mann_whitney_u(with_tie, other, MannWhitneyMethod::exact), cibench::Error,
                        names_the_reason("with ties"));
  BOOST_CHECK_EXCEPTION(mann_whitney_u(a, b, MannWhitneyMethod::exact), cibench::Error,
                        names_the_reason("here 20 and 21"));
  BOOST_TEST(to_string(MannWhitneyMethod::exact) == "exact");
  BOOST_TEST(to_string(MannWhitneyMethod::normal_approximation) == "normal approximation");
}

BOOST_AUTO_TEST_CASE(tukey_fences_count_mild_and_severe_outliers) {
  // Quartiles 3.75 and 9.25 (IQR 5.5): 20 is beyond 1.5·IQR, 100 beyond 3·IQR.
  Outliers o = tukey_outliers({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 100});
  BOOST_TEST(o.q1 == 3.75);
  BOOST_TEST(o.q3 == 9.25);
  BOOST_TEST(o.mild == 1u);
  BOOST_TEST(o.severe == 1u);
  BOOST_TEST(tukey_outliers({1, 2, 3, 4, 5}).mild + tukey_outliers({1, 2, 3, 4, 5}).severe == 0u);
}

BOOST_AUTO_TEST_CASE(bootstrap_is_seeded_and_brackets_the_median) {
  std::vector<double> x;
  for (int i = 0; i < 50; ++i) x.push_back(100 + (i * 37 % 17));
  Interval a = bootstrap_median_interval(x), b = bootstrap_median_interval(x);
  BOOST_TEST(a.low == b.low);
  BOOST_TEST(a.high == b.high);
  const double median = quantile(x, 0.5);
  BOOST_TEST(a.low <= median);
  BOOST_TEST(a.high >= median);
  Interval other_seed = bootstrap_median_interval(x, 0.95, 2000, 7);
  BOOST_TEST(other_seed.low <= median);
}

BOOST_AUTO_TEST_CASE(cohens_d_uses_the_pooled_sd) {
  BOOST_TEST(cohens_d(kA1, kA2) == 0.8965693907039232, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(hedges_g_corrects_d_for_small_samples) {
  // Python: d from the statistics module, J(df) = math.gamma(df/2) / (sqrt(df/2) · math.gamma((df−1)/2)).
  BOOST_TEST(hedges_g(kA1, kA2) == 0.8723011535920744, tt::tolerance(1e-9));           // df 28, J = 0.97293
  BOOST_TEST(hedges_g({1, 2, 3}, {4, 5, 7}) == 2.060129077457011, tt::tolerance(1e-9)); // df 4, J = 0.79788
  BOOST_TEST(hedges_g({10, 12, 11, 13}, {12, 15, 14, 16, 13}) == 1.51689524418414, tt::tolerance(1e-9)); // df 7
  // The usual approximation J ≈ 1 − 3/(4·df − 1) agrees to 1e-4 at df 28 (0.8723378).
  BOOST_TEST(hedges_g(kA1, kA2) == 0.8723377855497632, tt::tolerance(1e-4));
  BOOST_TEST(hedges_g(kA2, kA1) == -hedges_g(kA1, kA2), tt::tolerance(1e-12));
  BOOST_CHECK_THROW(hedges_g({1}, {2, 3}), cibench::Error); // df 1: J is 0, g says nothing
}

BOOST_AUTO_TEST_SUITE_END()

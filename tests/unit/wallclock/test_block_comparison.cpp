#include "util/error.hpp"
#include "wallclock/block_comparison.hpp"
#include "wallclock/interleaved.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <random>

using namespace cibench;

namespace {
// `blocks` blocks of 5 samples around `median` times each block's drift, with a little noise.
std::vector<std::vector<double>> blocks(double median, const std::vector<double>& drift, std::uint32_t seed, double noise = 0.002) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0, noise);
  std::vector<std::vector<double>> out;
  for (double f : drift) {
    std::vector<double> block;
    for (int i = 0; i < 5; ++i) block.push_back(median * f * (1 + n(rng)));
    out.push_back(block);
  }
  return out;
}
const std::vector<double> kSteady(10, 1.0);
} // namespace

BOOST_AUTO_TEST_SUITE(block_comparison)

// Expected values computed independently in Python: t and df from the statistics module, p by
// numerical integration of Student's t density, the signed-rank p by enumerating all 2^n signs.
BOOST_AUTO_TEST_CASE(paired_t_and_signed_rank_match_independent_values) {
  const std::vector<double> d = {0.012, -0.004, 0.020, 0.008, 0.015, -0.002, 0.011, 0.009, 0.017, 0.006};
  const auto t = stats::paired_t_test(d);
  BOOST_TEST(t.t == 3.778341179534415, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(t.df == 9);
  BOOST_TEST(t.p == 0.004360126495448026, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(t.mean_95.low < t.mean);
  BOOST_TEST(t.mean_95.high > t.mean);
  const auto w = stats::wilcoxon_signed_rank(d);
  BOOST_TEST(w.w_plus == 52.0);
  BOOST_TEST(w.p == 0.009765625, boost::test_tools::tolerance(1e-12)); // 10 of 1024 sign patterns
}

BOOST_AUTO_TEST_CASE(signed_rank_with_ties_and_a_zero_is_still_exact) {
  const std::vector<double> d = {1, -1, 2, 2, -3, 4, 0, 5, -2}; // the zero is dropped; |1|, |2| tie
  const auto w = stats::wilcoxon_signed_rank(d);
  BOOST_TEST(w.n == 8u);
  BOOST_TEST(w.w_plus == 24.5);
  BOOST_TEST(w.p == 0.40625, boost::test_tools::tolerance(1e-12));
  const auto t = stats::paired_t_test(d);
  BOOST_TEST(t.t == 1.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(t.p == 0.34659350708780434, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(a_30_percent_slowdown_is_a_regression_past_a_small_floor) {
  const auto c = compare_blocks(blocks(130, kSteady, 1), blocks(100, kSteady, 2), 3);
  BOOST_TEST((c.verdict == TimeVerdict::regression));
  BOOST_TEST(c.change_pct == 30.0, boost::test_tools::tolerance(0.01));
  BOOST_TEST(c.change_95_pct.low < c.change_pct);
  BOOST_TEST(c.change_95_pct.high > c.change_pct);
  BOOST_TEST(c.noise_floor_pct < 1.0);
  BOOST_TEST(c.noise_pairs == 10u); // five a side
  BOOST_TEST(c.wilcoxon.p == 2.0 / 1024, boost::test_tools::tolerance(1e-12)); // every block slower
}

BOOST_AUTO_TEST_CASE(drift_that_hits_both_sides_cancels) {
  // The machine slows by up to 40 % during the session; both builds are the same.
  const std::vector<double> drift = {1.0, 1.1, 1.4, 1.2, 1.0, 1.3, 1.1, 1.0, 1.2, 1.4};
  const auto c = compare_blocks(blocks(100, drift, 3), blocks(100, drift, 4), 3);
  BOOST_TEST((c.verdict == TimeVerdict::no_significant_change));
  BOOST_TEST(std::abs(c.change_pct) < 0.5);
  BOOST_TEST(c.noise_floor_pct > 10); // and the floor says how unsteady the machine was
}

BOOST_AUTO_TEST_CASE(a_significant_change_inside_the_noise_floor_is_not_called) {
  const std::vector<double> drift = {1.0, 1.3, 1.0, 1.3, 1.0, 1.3, 1.0, 1.3, 1.0, 1.3};
  const auto c = compare_blocks(blocks(105, drift, 5), blocks(100, drift, 6), 3);
  BOOST_TEST(c.t.p < 0.001);
  BOOST_TEST(c.change_pct == 5.0, boost::test_tools::tolerance(0.05));
  BOOST_TEST(c.noise_floor_pct > 5);
  BOOST_TEST(c.decisive_pct() == c.noise_floor_pct);
  BOOST_TEST((c.verdict == TimeVerdict::no_significant_change));
}

BOOST_AUTO_TEST_CASE(an_improvement_and_bad_input) {
  const auto c = compare_blocks(blocks(80, kSteady, 7), blocks(100, kSteady, 8), 3);
  BOOST_TEST((c.verdict == TimeVerdict::improvement));
  BOOST_CHECK_THROW(compare_blocks(blocks(1, {1, 1, 1}, 1), blocks(1, {1, 1, 1}, 2), 3), Error); // 3 blocks
  BOOST_CHECK_THROW(compare_blocks(blocks(1, kSteady, 1), blocks(1, {1, 1, 1, 1}, 2), 3), Error);
  auto zero = blocks(1, kSteady, 1);
  zero[3][0] = 0;
  BOOST_CHECK_THROW(compare_blocks(zero, blocks(1, kSteady, 2), 3), Error);
}

BOOST_AUTO_TEST_CASE(block_order_is_balanced_and_repeats_with_its_seed) {
  const auto a = block_order(10, 42), b = block_order(10, 42);
  BOOST_TEST(a == b);
  BOOST_TEST(std::count(a.begin(), a.end(), true) == 5);
  bool some_other_order = false;
  for (std::uint64_t seed = 1; seed < 10; ++seed) some_other_order |= block_order(10, seed) != a;
  BOOST_TEST(some_other_order);
  const auto odd = block_order(7, 3);
  const auto firsts = std::count(odd.begin(), odd.end(), true);
  BOOST_TEST((firsts == 3 || firsts == 4));
}

BOOST_AUTO_TEST_SUITE_END()

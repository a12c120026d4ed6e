#include "history/trend.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(history_trend)

BOOST_AUTO_TEST_CASE(small_steps_that_add_up_are_a_drift) {
  // +1.5 % four times: each under a 2 % warn level, +6.1 % in all.
  const Trend t = trend_of({1000000, 1015000, 1030225, 1045678, 1061364}, {.drift_pct = 5, .warn_pct = 2, .stable_pct = 1});
  BOOST_REQUIRE(t.change_pct.has_value());
  BOOST_TEST(*t.change_pct == 6.1364, boost::test_tools::tolerance(1e-3));
  BOOST_TEST(t.drifting);
  BOOST_TEST(t.each_step_under_warn);
  BOOST_TEST(t.largest_step_pct == 1.5, boost::test_tools::tolerance(1e-2));
  BOOST_TEST((t.arrow == Arrow::declining));
  BOOST_TEST(t.points == 5);
}

BOOST_AUTO_TEST_CASE(gaps_are_skipped_and_a_fall_improves) {
  const Trend t = trend_of({1000, std::nullopt, 900, std::nullopt}, {});
  BOOST_TEST(t.points == 2);
  BOOST_TEST(*t.change_pct == -10, boost::test_tools::tolerance(1e-9));
  BOOST_TEST((t.arrow == Arrow::improving));
  BOOST_TEST(!t.drifting);
}

BOOST_AUTO_TEST_CASE(within_the_stable_band_is_stable_and_one_point_has_no_change) {
  BOOST_TEST((trend_of({1000, 1005}, {}).arrow == Arrow::stable));
  BOOST_TEST(!trend_of({1000}, {}).change_pct.has_value());
}

// No percentage measures a rise from 0, but it is a rise: declining. Drift stays a percentage
// (creeping steps); the jump from 0 was the gate's to judge.
BOOST_AUTO_TEST_CASE(a_rise_from_zero_is_declining_not_stable) {
  const Trend t = trend_of({0, 0, 605}, {.drift_pct = 5, .warn_pct = 2, .stable_pct = 1});
  BOOST_TEST(!t.change_pct.has_value());
  BOOST_TEST(t.from_zero);
  BOOST_TEST((t.arrow == Arrow::declining));
  BOOST_TEST(!t.drifting);
  const Trend flat = trend_of({0, 0}, {});
  BOOST_TEST((flat.arrow == Arrow::stable));
  BOOST_TEST(!flat.drifting);
}

BOOST_AUTO_TEST_CASE(one_large_step_is_a_drift_but_not_under_the_warn_level) {
  const Trend t = trend_of({100, 100, 108}, {.drift_pct = 5, .warn_pct = 2, .stable_pct = 1});
  BOOST_TEST(t.drifting);
  BOOST_TEST(!t.each_step_under_warn);
}

BOOST_AUTO_TEST_SUITE_END()

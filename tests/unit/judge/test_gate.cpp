#include "judge/gate.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <ostream>

using namespace cibench;

namespace cibench {
std::ostream& operator<<(std::ostream& os, Status s) { return os << to_string(s); } // for failure messages
}

namespace {

// The verdict for `instructions` going from 1'000'000 to `now`, fail at 10 %, warn at 2 %.
Status status_for(std::int64_t now, Thresholds t = Thresholds::defaults()) {
  Metrics base{{"instructions", 1'000'000}};
  return judge({{"instructions", now}}, &base, t).status;
}

} // namespace

BOOST_AUTO_TEST_SUITE(gate)

BOOST_AUTO_TEST_CASE(fail_threshold_is_a_rise_strictly_past_it) {
  BOOST_TEST(status_for(1'100'000) == Status::warn); // exactly +10 %: not past it
  BOOST_TEST(status_for(1'100'001) == Status::fail);
  BOOST_TEST(status_for(1'099'999) == Status::warn);
}

BOOST_AUTO_TEST_CASE(warn_threshold_is_a_rise_strictly_past_it) {
  BOOST_TEST(status_for(1'020'000) == Status::pass); // exactly +2 %
  BOOST_TEST(status_for(1'020'001) == Status::warn);
  BOOST_TEST(status_for(1'000'000) == Status::pass);
  BOOST_TEST(status_for(1'000'001) == Status::pass);
}

BOOST_AUTO_TEST_CASE(a_drop_past_the_warn_level_is_improved) {
  BOOST_TEST(status_for(980'000) == Status::pass); // exactly -2 %
  BOOST_TEST(status_for(979'999) == Status::improved);
  BOOST_TEST(status_for(500'000) == Status::improved);
}

BOOST_AUTO_TEST_CASE(without_warn_the_fail_level_marks_improvement) {
  Thresholds t;
  t.fail["instructions"] = 5;
  BOOST_TEST(status_for(960'000, t) == Status::pass);
  BOOST_TEST(status_for(949'999, t) == Status::improved);
  BOOST_TEST(status_for(1'050'001, t) == Status::fail);
}

BOOST_AUTO_TEST_CASE(a_limit_in_bytes_compares_the_rise_in_bytes) {
  Thresholds t;
  t.fail_bytes["heap_peak_bytes"] = 65'536;
  t.warn_bytes["heap_peak_bytes"] = 1'024;
  Metrics base{{"heap_peak_bytes", 10'000'000}};
  const auto status = [&](std::int64_t now) { return judge({{"heap_peak_bytes", now}}, &base, t).status; };
  BOOST_TEST(status(10'065'536) == Status::warn); // exactly 64 KiB more: not past it (0.66 %)
  BOOST_TEST(status(10'065'537) == Status::fail);
  BOOST_TEST(status(10'001'025) == Status::warn);
  BOOST_TEST(status(10'001'024) == Status::pass);
  BOOST_TEST(status(9'998'975) == Status::improved); // a drop past the warn size
  base["heap_peak_bytes"] = 0; // from 0, where a percentage is infinite, the size still decides
  BOOST_TEST(status(500) == Status::pass);
  BOOST_TEST(status(70'000) == Status::fail);
}

BOOST_AUTO_TEST_CASE(tiny_thresholds_catch_tiny_changes) {
  Thresholds t;
  t.fail["instructions"] = 0.01;
  BOOST_TEST(status_for(1'000'300, t) == Status::fail); // +0.03 %
  BOOST_TEST(status_for(1'000'100, t) == Status::pass); // +0.01 % exactly
}

BOOST_AUTO_TEST_CASE(no_baseline_is_new_not_a_failure) {
  Verdict v = judge({{"instructions", 5}}, nullptr, Thresholds::defaults());
  BOOST_TEST(v.status == Status::new_benchmark);
  BOOST_TEST(!v.metrics[0].change_pct.has_value());
}

BOOST_AUTO_TEST_CASE(metrics_without_threshold_are_reported_but_never_decide) {
  Metrics base{{"instructions", 100}, {"D1mr", 10}};
  Verdict v = judge({{"instructions", 100}, {"D1mr", 50}}, &base, Thresholds::defaults());
  BOOST_TEST(v.status == Status::pass);
  BOOST_TEST(v.metrics.size() == 2u);
  BOOST_TEST(*v.metrics[0].change_pct == 400.0); // D1mr, sorted first
}

BOOST_AUTO_TEST_CASE(the_worst_metric_decides) {
  Thresholds t = Thresholds::defaults();
  t.warn["estimated_cycles"] = 1;
  Metrics base{{"instructions", 100}, {"estimated_cycles", 100}};
  BOOST_TEST(judge({{"instructions", 50}, {"estimated_cycles", 102}}, &base, t).status == Status::warn);
  BOOST_TEST(judge({{"instructions", 50}, {"estimated_cycles", 100}}, &base, t).status == Status::improved);
  BOOST_TEST(judge({{"instructions", 120}, {"estimated_cycles", 50}}, &base, t).status == Status::fail);
}

BOOST_AUTO_TEST_CASE(change_from_zero_is_infinite_and_fails) {
  BOOST_TEST(*change_pct(0, 0) == 0.0);
  BOOST_TEST(std::isinf(*change_pct(0, 1)));
  Metrics base{{"instructions", 0}};
  BOOST_TEST(judge({{"instructions", 1}}, &base, Thresholds::defaults()).status == Status::fail);
}

BOOST_AUTO_TEST_CASE(change_of_a_negative_region_count_uses_its_magnitude) {
  BOOST_TEST(*change_pct(-100, -90) == 10.0);
}

BOOST_AUTO_TEST_CASE(a_budget_fails_when_passed_even_without_baseline) {
  Thresholds t;
  t.budget["instructions"] = 5'000'000;
  BOOST_TEST(judge({{"instructions", 5'000'000}}, nullptr, t).status == Status::new_benchmark); // at it: fine
  Verdict over = judge({{"instructions", 5'000'001}}, nullptr, t);
  BOOST_TEST(over.status == Status::fail);
  BOOST_TEST(over.metrics[0].over_budget);
  Metrics base{{"instructions", 5'000'001}};
  BOOST_TEST(judge({{"instructions", 5'000'001}}, &base, t).status == Status::fail); // unchanged, still over
}

BOOST_AUTO_TEST_SUITE_END()

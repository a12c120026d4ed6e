#include "judge/comparison.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(comparison)

BOOST_AUTO_TEST_CASE(ratio_is_candidate_over_baseline_per_metric) {
  std::map<std::string, Metrics> measured = {{"delete", {{"instructions", 600}, {"ram_hits", 0}}},
                                             {"wal", {{"instructions", 100}, {"ram_hits", 3}}}};
  auto r = compare({{"WAL vs DELETE", "delete", "wal", "f:1"}}, measured, {"delete", "wal"});
  BOOST_REQUIRE(r.size() == 1u);
  BOOST_TEST(r[0].error.empty());
  BOOST_TEST(r[0].ratio.at("instructions") == 100.0 / 600.0);
  BOOST_TEST(r[0].ratio.count("ram_hits") == 0u); // a zero baseline has no ratio
}

BOOST_AUTO_TEST_CASE(a_side_that_was_not_measured_is_an_error_and_a_filtered_out_pair_is_skipped) {
  std::map<std::string, Metrics> measured = {{"a", {{"instructions", 1}}}};
  auto r = compare({{"c", "a", "b", "f:1"}, {"skipped", "x", "y", "f:2"}}, measured, {"a", "b"});
  BOOST_REQUIRE(r.size() == 1u);
  BOOST_TEST(r[0].error == "'b' was not measured (error or wall-clock only)");
}

BOOST_AUTO_TEST_SUITE_END()

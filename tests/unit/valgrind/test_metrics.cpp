#include "metrics/metrics.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(derived_metrics_follow_the_iai_formulas) {
  Metrics m = with_derived({{"Ir", 1000}, {"I1mr", 10}, {"ILmr", 2}, {"Dr", 400}, {"D1mr", 30},
                            {"DLmr", 5}, {"Dw", 200}, {"D1mw", 20}, {"DLmw", 3}});
  BOOST_TEST(m["instructions"] == 1000);
  BOOST_TEST(m["ram_hits"] == 2 + 5 + 3);                     // 10
  BOOST_TEST(m["l2_hits"] == (10 + 30 + 20) - 10);            // 50
  BOOST_TEST(m["l1_hits"] == (1000 + 400 + 200) - (10 + 30 + 20)); // 1540
  BOOST_TEST(m["total_rw"] == 1600);
  BOOST_TEST(m["estimated_cycles"] == 1540 + 5 * 50 + 35 * 10); // 2140
}

BOOST_AUTO_TEST_CASE(ir_only_profiles_get_only_instructions) {
  Metrics m = with_derived({{"Ir", 77}});
  BOOST_TEST(m.size() == 2u);
  BOOST_TEST(m["instructions"] == 77);
}

BOOST_AUTO_TEST_CASE(knows_every_documented_metric_name) {
  for (auto name : {"Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw", "instructions", "l1_hits",
                    "l2_hits", "ram_hits", "estimated_cycles", "total_rw"})
    BOOST_TEST(is_known_metric(name), name);
  BOOST_TEST(!is_known_metric("cycles"));
  BOOST_TEST(!is_known_metric("ir"));
}

BOOST_AUTO_TEST_SUITE_END()

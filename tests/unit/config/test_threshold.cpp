#include "util/error.hpp"
#include "config/threshold.hpp"

#include "error_message.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(threshold)

BOOST_AUTO_TEST_CASE(parses_percentages) {
  BOOST_TEST(*parse_percent("10%") == 10.0);
  BOOST_TEST(*parse_percent("0.5%") == 0.5);
  BOOST_TEST(*parse_percent("0%") == 0.0);
  BOOST_TEST(!parse_percent("off").has_value());
}

BOOST_AUTO_TEST_CASE(rejects_anything_else_with_the_expected_form) {
  for (auto bad : {"10", "%", "-1%", "ten%", "10 %", "1e2%", "", "inf%", "10%%"}) {
    BOOST_TEST_CONTEXT("input '" << bad << "'")
    BOOST_TEST(error_message(ErrorKind::config, [&] { parse_percent(bad); }).find("like \"2%\"") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(defaults_are_the_specs_rule) {
  auto t = Thresholds::defaults();
  BOOST_TEST(t.fail.at("instructions") == 10.0);
  BOOST_TEST(t.warn.at("instructions") == 2.0);
}

BOOST_AUTO_TEST_SUITE_END()

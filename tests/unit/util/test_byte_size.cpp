#include "util/byte_size.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(byte_size)

BOOST_AUTO_TEST_CASE(parses_si_and_binary_units_and_bare_bytes) {
  BOOST_TEST(*parse_byte_size("15 MB") == 15'000'000);
  BOOST_TEST(*parse_byte_size("512 KiB") == 524'288);
  BOOST_TEST(*parse_byte_size("1.5 MiB") == 1'572'864);
  BOOST_TEST(*parse_byte_size("5MB") == 5'000'000);
  BOOST_TEST(*parse_byte_size("300") == 300);
  BOOST_TEST(*parse_byte_size("300 B") == 300);
  BOOST_TEST(*parse_byte_size("2 GiB") == 2'147'483'648);
}

BOOST_AUTO_TEST_CASE(refuses_what_is_not_a_size) {
  for (auto bad : {"", "MB", "15 parsecs", "-1 MB", "15 mb", "1e3", "15 MB ", "nan", "99999999 TiB"}) {
    BOOST_TEST_CONTEXT("input '" << bad << "'")
    BOOST_TEST(!parse_byte_size(bad).has_value());
  }
}

BOOST_AUTO_TEST_CASE(formats_in_binary_units) {
  BOOST_TEST(format_byte_size(812) == "812 B");
  BOOST_TEST(format_byte_size(30 * 1024) == "30.0 KiB");
  BOOST_TEST(format_byte_size(1'000'000) == "977 KiB");
  BOOST_TEST(format_byte_size(5 * 1024 * 1024) == "5.00 MiB");
  BOOST_TEST(format_byte_size(-2048) == "-2.00 KiB");
}

BOOST_AUTO_TEST_SUITE_END()

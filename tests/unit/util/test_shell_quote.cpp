#include "util/shell_quote.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(shell_quote_words)

BOOST_AUTO_TEST_CASE(plain_words_stay_as_they_are) {
  BOOST_TEST(shell_quote("/usr/local/bin/ci-bench") == "/usr/local/bin/ci-bench");
  BOOST_TEST(shell_quote("-DCMAKE_PREFIX_PATH=/opt/ci-bench_1.2") == "-DCMAKE_PREFIX_PATH=/opt/ci-bench_1.2");
}

BOOST_AUTO_TEST_CASE(anything_a_shell_reads_is_single_quoted) {
  BOOST_TEST(shell_quote("/tmp/my tools/ci-bench") == "'/tmp/my tools/ci-bench'");
  BOOST_TEST(shell_quote("/tmp/x;rm -rf ~") == "'/tmp/x;rm -rf ~'");
  BOOST_TEST(shell_quote("$(id)`id`*?") == "'$(id)`id`*?'");
  BOOST_TEST(shell_quote("it's") == "'it'\\''s'");
  BOOST_TEST(shell_quote("") == "''");
}

BOOST_AUTO_TEST_SUITE_END()

#include "config/toml_ascii_check.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

namespace {

// "line:column" of the first non-ASCII byte outside strings and comments, or "none".
std::string where(std::string_view toml) {
  auto at = non_ascii_outside_strings(toml);
  return at ? std::to_string(at->line) + ":" + std::to_string(at->column) : "none";
}

} // namespace

BOOST_AUTO_TEST_SUITE(toml_ascii_check)

BOOST_AUTO_TEST_CASE(non_ascii_in_strings_and_comments_is_allowed) {
  BOOST_TEST(where("# café\nname = \"café\"\nb = 'naïve'\n") == "none");
  BOOST_TEST(where("[suite.benchmark.\"Ϟ\"]\nx = 1 # ü\n") == "none");
  BOOST_TEST(where("a = \"\"\"\nlines é\n\"\"\"\nb = '''\n'é'\n'''\n") == "none");
}

BOOST_AUTO_TEST_CASE(non_ascii_elsewhere_is_found_with_its_line_and_column) {
  BOOST_TEST(where("é = 1\n") == "1:1");
  BOOST_TEST(where("a = 1\nb = \"x\" \xCF\x9E\n") == "2:9");
  BOOST_TEST(where("[ta\xC3\xA9" "ble]\n") == "1:4");
  BOOST_TEST(where("a = \"x\xff\" \xff\n") == "1:10"); // invalid UTF-8 inside a string is toml++'s to report
}

BOOST_AUTO_TEST_CASE(escapes_and_quote_runs_do_not_end_strings_early) {
  BOOST_TEST(where("a = \"\\\"é\"\n") == "none");                // \" inside a basic string
  BOOST_TEST(where("a = 'x\\' é\n") == "1:10");                    // no escapes in literal strings
  BOOST_TEST(where("a = \"\"\"x\"\"\"\"\" # é\nb = 'é'\n") == "none"); // """x""""" holds x""
  BOOST_TEST(where("a = \"\"\"x\\\"\"\"é\"\"\"\n") == "none");     // \" inside a multi-line basic string
}

BOOST_AUTO_TEST_CASE(single_line_strings_and_comments_end_at_the_newline) {
  BOOST_TEST(where("a = \"open\né = 1\n") == "2:1");
  BOOST_TEST(where("# comment\né\n") == "2:1");
}

BOOST_AUTO_TEST_SUITE_END()

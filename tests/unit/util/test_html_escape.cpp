#include "util/html_escape.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(html_escape_text)

BOOST_AUTO_TEST_CASE(markup_controls_and_direction_overrides_are_shown_as_text) {
  BOOST_TEST(html_escape("<b>a & 'b'</b>") == "&lt;b&gt;a &amp; &#39;b&#39;&lt;/b&gt;");
  // A history board's names come from imported files: no override may make one read backwards.
  BOOST_TEST(html_escape("evil\x1b[2J\xE2\x80\xAE" "desrever\xC2\x9B") == "evil\\x1b[2J\\u{202e}desrever\\u{9b}");
  BOOST_TEST(html_escape("two\nlines\tkept") == "two\nlines\tkept");
}

BOOST_AUTO_TEST_CASE(noncharacters_xml_forbids_become_the_replacement_character) {
  BOOST_TEST(cibench::html_escape("a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c") == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
}

BOOST_AUTO_TEST_SUITE_END()

#include "util/utf8.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(utf8)

BOOST_AUTO_TEST_CASE(keeps_valid_text_and_replaces_each_bad_byte) {
  BOOST_TEST(valid_utf8("plain, é, € and 𝄞") == "plain, é, € and 𝄞");
  BOOST_TEST(valid_utf8("a\xff" "b") == "a\xEF\xBF\xBD" "b");
  BOOST_TEST(valid_utf8("\xC3") == "\xEF\xBF\xBD");                      // cut short
  BOOST_TEST(valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");      // overlong '/'
  BOOST_TEST(valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // a surrogate
  BOOST_TEST(valid_utf8("caf\xE9") == "caf\xEF\xBF\xBD");                // Latin-1
}

BOOST_AUTO_TEST_CASE(cuts_on_character_boundaries) {
  BOOST_TEST(cut_utf8("€uro", 2) == "");   // € is 3 bytes
  BOOST_TEST(cut_utf8("€uro", 3) == "€");
  BOOST_TEST(cut_utf8("ab", 10) == "ab");
}

BOOST_AUTO_TEST_CASE(printable_shows_control_characters_and_keeps_lines) {
  BOOST_TEST(printable("a\x1b[31mred\x07") == "a\\x1b[31mred\\x07");
  BOOST_TEST(printable("one\ntwo\tthree") == "one\ntwo\tthree");
  BOOST_TEST(printable("\xC2\x9B" "c") == "\\u{9b}c"); // C1 CSI
  BOOST_TEST(printable("é") == "é");
  BOOST_TEST(printable("exe\xE2\x80\xAEgnp.txt") == "exe\\u{202e}gnp.txt"); // RIGHT-TO-LEFT OVERRIDE
  BOOST_TEST(printable("a\xE2\x81\xA6" "b\xE2\x80\x8F") == "a\\u{2066}b\\u{200f}");
  BOOST_TEST(printable("\xE2\x80\x94") == "\xE2\x80\x94"); // an em dash stays
}

BOOST_AUTO_TEST_SUITE_END()

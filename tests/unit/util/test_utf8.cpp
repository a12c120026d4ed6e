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

BOOST_AUTO_TEST_CASE(visible_controls_shows_control_characters_and_bidi_marks) {
  BOOST_TEST(visible_controls("a\x1b[31mred\x07", Newlines::escaped) == "a\\x1b[31mred\\x07");
  BOOST_TEST(visible_controls("one\ntwo\tthree", Newlines::kept) == "one\ntwo\tthree");
  BOOST_TEST(visible_controls("one\ntwo\r", Newlines::escaped) == "one\\x0atwo\\x0d");
  BOOST_TEST(visible_controls("\xC2\x9B" "c", Newlines::escaped) == "\\u{9b}c"); // C1 CSI
  BOOST_TEST(visible_controls("é", Newlines::escaped) == "é");
  BOOST_TEST(visible_controls("exe\xE2\x80\xAEgnp.txt", Newlines::escaped) == "exe\\u{202e}gnp.txt"); // RIGHT-TO-LEFT OVERRIDE
  BOOST_TEST(visible_controls("a\xE2\x81\xA6" "b\xE2\x80\x8F", Newlines::escaped) == "a\\u{2066}b\\u{200f}");
  BOOST_TEST(visible_controls("\xE2\x80\x94", Newlines::escaped) == "\xE2\x80\x94"); // an em dash stays
}

BOOST_AUTO_TEST_CASE(printable_text_can_start_no_workflow_command) {
  // A symbol name with a newline would otherwise put "::error::" at the start of a line of the CI log.
  BOOST_TEST(printable("evil\x1b]0;x\x07\n::error::y") == "evil\\x1b]0;x\\x07\\x0a::error::y");
  BOOST_TEST(printable("::error::y") == "\\x3a:error::y");
  BOOST_TEST(printable("  \t::warning::y") == "  \t\\x3a:warning::y");     // the runner skips leading spaces
  BOOST_TEST(printable("\xC2\xA0::notice::y") == "\xC2\xA0\\x3a:notice::y"); // and Unicode ones
  BOOST_TEST(printable("x ##[error]y ###[group]") == "x #\\x23[error]y ##\\x23[group]"); // the old form, anywhere
  BOOST_TEST(printable("std::vector<int>::push_back") == "std::vector<int>::push_back");
  BOOST_TEST(printable_line("a\nb", 100) == "a\\x0ab");
  BOOST_TEST(printable_lines("one\n::error::two\n") == "one\n\\x3a:error::two\n");
}

BOOST_AUTO_TEST_SUITE_END()

#include "judge/line_changes.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

namespace {
SourceLine line(std::int64_t n, std::string text, std::vector<std::string> functions = {}) {
  return {.instructions = n, .text = std::move(text), .functions = std::move(functions)};
}
} // namespace

BOOST_AUTO_TEST_SUITE(line_changes_by_text)

BOOST_AUTO_TEST_CASE(lines_that_moved_match_by_their_text) {
  const SourceLines before{{"a.cpp:10", line(1000, "aaaa0001/0")}, {"a.cpp:11", line(500, "bbbb0002/0")}};
  const SourceLines after{{"a.cpp:13", line(1000, "aaaa0001/0", {"f"})}, {"a.cpp:14", line(700, "bbbb0002/0", {"f"})}};
  const LineReport r = line_changes(before, true, after, 1700);
  BOOST_REQUIRE_EQUAL(r.changes.size(), 1u);
  BOOST_TEST(r.changes[0].line == 14u); // this run's number
  BOOST_TEST(r.changes[0].before == 500);
  BOOST_TEST(r.changes[0].after == 700);
  BOOST_TEST(!r.changes[0].gone);
  BOOST_TEST(!r.changes[0].edited);
  BOOST_TEST(r.changes[0].functions == std::vector<std::string>{"f"});
}

BOOST_AUTO_TEST_CASE(new_text_at_the_old_place_is_one_edited_line_and_a_text_on_no_line_is_gone) {
  const SourceLines before{{"a.cpp:10", line(1000, "aaaa0001/0")}, {"a.cpp:20", line(800, "cccc0003/0")}};
  const SourceLines after{{"a.cpp:10", line(3000, "dddd0004/0", {"f"})}};
  const LineReport r = line_changes(before, true, after, 3000);
  BOOST_REQUIRE_EQUAL(r.changes.size(), 2u);
  BOOST_TEST(r.changes[0].line == 10u);
  BOOST_TEST(r.changes[0].edited);
  BOOST_TEST(r.changes[0].before == 1000);
  BOOST_TEST(r.changes[0].after == 3000);
  BOOST_TEST(r.changes[1].line == 20u);
  BOOST_TEST(r.changes[1].gone);
  BOOST_TEST(r.changes[1].after == 0);
}

BOOST_AUTO_TEST_CASE(an_unread_file_matches_by_line_number_on_both_sides) {
  const SourceLines before{{"libc.S:5", line(100, "")}, {"a.cpp:1", line(900, "aaaa0001/0")}};
  const SourceLines after{{"libc.S:5", line(150, "", {"memset"})}, {"a.cpp:1", line(900, "aaaa0001/0", {"f"})}};
  const LineReport r = line_changes(before, true, after, 1050);
  BOOST_REQUIRE_EQUAL(r.changes.size(), 1u);
  BOOST_TEST(r.changes[0].file == "libc.S");
  BOOST_TEST(r.changes[0].change() == 50);
}

BOOST_AUTO_TEST_CASE(a_line_the_baseline_did_not_keep_has_only_a_bound) {
  const SourceLines before{{"a.cpp:1", line(900, "aaaa0001/0")}, {"a.cpp:2", line(300, "bbbb0002/0")}};
  const SourceLines after{{"a.cpp:1", line(900, "aaaa0001/0")}, {"a.cpp:2", line(300, "bbbb0002/0")},
                          {"a.cpp:3", line(5000, "eeee0005/0")}};
  const LineReport r = line_changes(before, false, after, 6200);
  BOOST_REQUIRE_EQUAL(r.changes.size(), 1u);
  BOOST_TEST(r.changes[0].before_at_most);
  BOOST_TEST(r.changes[0].before == 300);
  BOOST_REQUIRE(r.floor.has_value());
  BOOST_TEST(*r.floor == 300);
}

BOOST_AUTO_TEST_CASE(without_line_debug_info_or_a_baseline_of_lines_it_says_why) {
  const SourceLines few{{"a.cpp:1", line(10, "aaaa0001/0")}};
  BOOST_TEST(line_changes(few, true, few, 1000).unavailable.find("build the program with -g") != std::string::npos);
  BOOST_TEST(line_changes({}, true, few, 10).unavailable.find("the baseline keeps no source lines") != std::string::npos);
  BOOST_TEST(line_changes(few, true, few, 10).unavailable.empty());
}

BOOST_AUTO_TEST_SUITE_END()

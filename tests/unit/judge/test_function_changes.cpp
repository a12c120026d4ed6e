#include "judge/function_changes.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(function_changes)

BOOST_AUTO_TEST_CASE(biggest_change_first_until_90_percent_is_explained) {
  FunctionInstructions before{{"a.cpp:parse", 1000}, {"a.cpp:lex", 500}, {"b.cpp:hash", 300}, {"c.cpp:same", 50}};
  FunctionInstructions after{{"a.cpp:parse", 1900}, {"a.cpp:lex", 520}, {"b.cpp:hash", 305}, {"c.cpp:same", 50},
                             {"d.cpp:new_fn", 80}};
  auto c = top_function_changes(before, after, true);
  BOOST_REQUIRE(c.size() == 2u); // +900 parse, then +80 new_fn: 980 of the net 1005
  BOOST_TEST(c[0].function == "a.cpp:parse");
  BOOST_TEST(c[0].change() == 900);
  BOOST_TEST(c[1].function == "d.cpp:new_fn");
  BOOST_TEST(c[1].before == 0);
}

BOOST_AUTO_TEST_CASE(a_removed_function_counts_as_zero_after) {
  auto c = top_function_changes({{"x", 100}, {"y", 10}}, {{"y", 10}}, true);
  BOOST_REQUIRE(c.size() == 1u);
  BOOST_TEST(c[0].after == 0);
  BOOST_TEST(c[0].change() == -100);
}

BOOST_AUTO_TEST_CASE(changes_that_cancel_still_show_their_biggest_parts) {
  auto c = top_function_changes({{"x", 100}, {"y", 100}}, {{"x", 150}, {"y", 50}}, true, 5);
  BOOST_TEST(c.size() == 2u);
  BOOST_TEST(top_function_changes({{"x", 1}}, {{"x", 1}}, true).empty());
}

BOOST_AUTO_TEST_CASE(a_baseline_keeps_the_functions_covering_99_percent_at_most_40) {
  FunctionInstructions all{{"big", 9000}, {"mid", 950}, {"small", 40}, {"tiny", 10}};
  auto kept = top_functions(all);
  BOOST_TEST(kept.size() == 2u); // 9000 + 950 of 10 000 = 99.5 %: enough
  BOOST_TEST(kept.count("mid") == 1u);
  BOOST_TEST(!kept.count("small"));
  FunctionInstructions many;
  for (int i = 0; i < 100; ++i) many["f" + std::to_string(i)] = 100;
  BOOST_TEST(top_functions(many).size() == 40u);
}

// A baseline keeps its top functions only: one it did not record has no known count, so a
// change confined to `main` must not list the loader's functions as "0 -> 290".
BOOST_AUTO_TEST_CASE(functions_a_truncated_baseline_did_not_record_are_not_changes) {
  const FunctionInstructions before = {{"main", 1000}};
  const FunctionInstructions after = {{"main", 1600}, {"_dl_relocate_object", 290}, {"_dl_lookup_symbol_x", 280}};
  auto c = top_function_changes(before, after, false);
  BOOST_REQUIRE_EQUAL(c.size(), 1u);
  BOOST_TEST(c[0].function == "main");
  BOOST_TEST(c[0].change() == 600);
  BOOST_TEST(top_function_changes(before, after, true).size() >= 2u); // a complete baseline: they are new
}

// A new hot function is the usual regression: a truncated baseline cannot say what it cost before,
// only that it was at most the smallest kept, so it is listed with that bound.
BOOST_AUTO_TEST_CASE(a_function_a_truncated_baseline_lacks_but_now_above_its_smallest_is_listed_with_a_bound) {
  const FunctionInstructions before = {{"main", 1000}, {"parse", 400}};
  const FunctionInstructions after = {{"main", 1000}, {"parse", 400}, {"slow_path", 5000}, {"_dl_init", 300}};
  auto c = top_function_changes(before, after, false);
  BOOST_REQUIRE_EQUAL(c.size(), 1u);
  BOOST_TEST(c[0].function == "slow_path");
  BOOST_TEST(c[0].before_at_most);
  BOOST_TEST(c[0].before == 400);
  BOOST_TEST(c[0].change() == 4600); // at least
  BOOST_TEST(!top_function_changes(before, after, true)[0].before_at_most);
  BOOST_TEST(floor_of_kept(before, false).value_or(-1) == 400);
  BOOST_TEST(!floor_of_kept(before, true).has_value());
}

BOOST_AUTO_TEST_CASE(keep_top_functions_says_when_nothing_was_cut) {
  BOOST_TEST(keep_top_functions({{"a", 10}, {"b", 5}}, 1.0).complete);
  FunctionInstructions many;
  for (int i = 0; i < 50; ++i) many["f" + std::to_string(i)] = 100 + i;
  auto kept = keep_top_functions(many);
  BOOST_TEST(!kept.complete);
  BOOST_TEST(kept.functions.size() == 40u);
}

BOOST_AUTO_TEST_SUITE_END()

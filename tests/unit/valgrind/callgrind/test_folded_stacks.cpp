#include "valgrind/callgrind/callgrind_parser.hpp"
#include "util/error.hpp"
#include "valgrind/callgrind/folded_stacks.hpp"

#include <boost/test/unit_test.hpp>
#include <sstream>

using namespace cibench;

namespace {
Profile parse(const std::string& text) {
  std::istringstream in("events: Ir\n" + text);
  return parse_callgrind(in, "test");
}
} // namespace

BOOST_AUTO_TEST_SUITE(folded_stacks_tests)

BOOST_AUTO_TEST_CASE(single_callers_give_exact_stacks) {
  // main (self 10) calls parse (self 50, calls lex: 40) and hash (30).
  auto p = parse("fl=a.c\nfn=main\n1 10\ncfn=parse\ncalls=1 1\n1 90\ncfn=hash\ncalls=1 1\n1 30\n"
                 "fn=parse\n1 50\ncfn=lex\ncalls=2 1\n1 40\nfn=lex\n1 40\nfn=hash\n1 30\ntotals: 130\n");
  BOOST_TEST(folded_stacks(p) == "main 10\nmain;hash 30\nmain;parse 50\nmain;parse;lex 40\n");
}

BOOST_AUTO_TEST_CASE(a_shared_callee_is_split_by_what_each_call_cost_and_recursion_is_cut) {
  // a and b both call util (60 and 20); util recurses into itself through helper.
  auto p = parse("fl=x.c\nfn=main\ncfn=a\ncalls=1 1\n1 70\ncfn=b\ncalls=1 1\n1 30\n"
                 "fn=a\n1 10\ncfn=util\ncalls=1 1\n1 60\nfn=b\n1 10\ncfn=util\ncalls=1 1\n1 20\n"
                 "fn=util\n1 80\ntotals: 100\n");
  BOOST_TEST(folded_stacks(p) == "main;a 10\nmain;a;util 60\nmain;b 10\nmain;b;util 20\n");
}

BOOST_AUTO_TEST_CASE(a_cachegrind_profile_has_no_calls_to_fold) {
  auto p = parse("fl=a.c\nfn=main\n1 10\ntotals: 10\n");
  BOOST_CHECK_THROW(folded_stacks(p), Error);
}

BOOST_AUTO_TEST_SUITE_END()

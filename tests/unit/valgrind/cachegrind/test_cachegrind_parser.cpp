#include "valgrind/cachegrind/cachegrind_parser.hpp"
#include "util/error.hpp"
#include "error_message.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <regex>
#include <sstream>

using namespace cibench;

namespace {

Profile parse(const std::string& text) {
  std::istringstream in(text);
  return parse_cachegrind(in, "test.out");
}

std::string error_of(const std::string& text) { return error_message(ErrorKind::parse, [&] { parse(text); }); }

// A value from Valgrind's own summary in its log ("==1== I   refs:      123,456"): the oracle.
std::uint64_t from_valgrind_log(const std::string& label, int column = 0) {
  std::ifstream in(CIBENCH_FIXTURES "/testprog-loop.valgrind.log");
  for (std::string line; std::getline(in, line);) {
    if (line.find(label) == std::string::npos) continue;
    std::string numbers = line.substr(line.find(label) + label.size());
    std::regex number("[0-9][0-9,]*");
    auto it = std::sregex_iterator(numbers.begin(), numbers.end(), number);
    std::advance(it, column);
    std::string digits = std::regex_replace(it->str(), std::regex(","), "");
    return std::stoull(digits);
  }
  BOOST_FAIL("label not in the log: " + label);
  return 0;
}

const char* kHeader = "desc: I1 cache: 32768 B, 64 B, 8-way associative\n"
                      "cmd: ./prog 1\n"
                      "events: Ir Dr Dw\n";

} // namespace

BOOST_AUTO_TEST_SUITE(cachegrind_parser)

BOOST_AUTO_TEST_CASE(real_file_totals_equal_valgrinds_own_summary) {
  auto p = parse_cachegrind_file(CIBENCH_FIXTURES "/testprog-loop.cachegrind.out");
  auto t = p.totals_by_event();
  BOOST_TEST(p.events.size() == 9u);
  BOOST_TEST(t.at("Ir") == from_valgrind_log("I   refs:"));
  BOOST_TEST(t.at("I1mr") == from_valgrind_log("I1  misses:"));
  BOOST_TEST(t.at("ILmr") == from_valgrind_log("LLi misses:"));
  BOOST_TEST(t.at("Dr") == from_valgrind_log("D   refs:", 1));
  BOOST_TEST(t.at("Dw") == from_valgrind_log("D   refs:", 2));
  BOOST_TEST(t.at("D1mr") == from_valgrind_log("D1  misses:", 1));
  BOOST_TEST(t.at("D1mw") == from_valgrind_log("D1  misses:", 2));
  BOOST_TEST(t.at("DLmr") == from_valgrind_log("LLd misses:", 1));
  BOOST_TEST(t.at("DLmw") == from_valgrind_log("LLd misses:", 2));
  BOOST_TEST(p.cmd.find("testprog loop 1000") != std::string::npos);
  BOOST_TEST(p.desc.size() == 3u);
}

BOOST_AUTO_TEST_CASE(real_file_has_main_with_self_cost) {
  auto p = parse_cachegrind_file(CIBENCH_FIXTURES "/testprog-loop.cachegrind.out");
  auto main_fn = std::find_if(p.functions.begin(), p.functions.end(), [](auto& f) {
    return f.function == "main" && f.file.ends_with("testprog.cpp");
  });
  BOOST_REQUIRE(main_fn != p.functions.end());
  BOOST_TEST(main_fn->self[0] > 7000u); // the loop: 1000 iterations of 7 instructions
}

BOOST_AUTO_TEST_CASE(sums_repeated_functions_and_pads_short_cost_lines) {
  auto p = parse(std::string(kHeader) +
                 "fl=a.c\nfn=f\n1 10 2 1\n2 5\nfl=b.c\nfn=g\n3 1 1 1\nfl=a.c\nfn=f\n4 1 0 0\nsummary: 17 3 2\n");
  BOOST_TEST(p.functions.size() == 2u);
  BOOST_TEST(p.functions[0].self == (std::vector<std::uint64_t>{16, 2, 1}));
  BOOST_TEST(p.totals == (std::vector<std::uint64_t>{17, 3, 2}));
}

BOOST_AUTO_TEST_CASE(accepts_the_largest_64_bit_count) {
  auto p = parse(std::string(kHeader) + "fl=a\nfn=f\n1 18446744073709551615 0 0\nsummary: 18446744073709551615 0 0\n");
  BOOST_TEST(p.totals[0] == 18446744073709551615ull);
  BOOST_CHECK_THROW(p.totals_by_event(), Error); // too large to compare as a signed count
}

BOOST_AUTO_TEST_CASE(rejects_a_truncated_file) {
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 10 2 1\n").find("truncated") != std::string::npos);
  BOOST_TEST(error_of("").find("no 'cmd:'") != std::string::npos);
  BOOST_TEST(error_of("desc: x\ncmd: p\n").find("no 'events:'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rejects_wrong_event_counts) {
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 1 1 1\nsummary: 1 1\n") ==
             "test.out:7: summary has 2 counts for 3 events");
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 1 1 1 1\nsummary: 1 1 1\n") ==
             "test.out:6: cost line has 4 counts for 3 events");
}

BOOST_AUTO_TEST_CASE(rejects_non_numbers) {
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 1 x 1\nsummary: 1 0 1\n") ==
             "test.out:6: count 'x' is not a non-negative integer");
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 1 -1 1\nsummary: 1 0 1\n").find("'-1'") != std::string::npos);
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 1 1 1\nsummary: 1 1 1.5\n") ==
             "test.out:7: summary count '1.5' is not a non-negative integer");
}

BOOST_AUTO_TEST_CASE(rejects_numbers_past_2_to_the_64) {
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 18446744073709551616 0 0\nsummary: 0 0 0\n") ==
             "test.out:6: count '18446744073709551616' does not fit in 64 bits");
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 18446744073709551615 0 0\n2 1 0 0\nsummary: 0 0 0\n")
                 .find("past 64 bits") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rejects_a_summary_that_disagrees_with_the_cost_lines) {
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 10 2 1\nsummary: 11 2 1\n") ==
             "test.out:7: summary says 11 Ir but the cost lines add up to 10");
}

BOOST_AUTO_TEST_CASE(rejects_structure_errors) {
  BOOST_TEST(error_of(std::string(kHeader) + "1 1 1 1\nsummary: 1 1 1\n").find("outside any 'fn='") != std::string::npos);
  BOOST_TEST(error_of(std::string(kHeader) + "fn=f\n").find("'fn=' before any 'fl='") != std::string::npos);
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\nbogus line\n").find("unrecognised line") != std::string::npos);
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 1 1 1\nsummary: 1 1 1\nfn=g\n").find("after the summary") !=
             std::string::npos);
  BOOST_CHECK_THROW(parse_cachegrind_file("/nonexistent/cachegrind.out"), Error);
}

// Found by fuzzing (tests/fuzz/regressions/cachegrind/): the function got room for no counts, and
// the first cost line after `events:` wrote past it (a segfault in `ci-bench diff`).
BOOST_AUTO_TEST_CASE(rejects_a_function_before_the_events_line) {
  BOOST_TEST(error_of("cmd: x\nfl=a\nfn=b\nevents: Ir\n1 5\nsummary: 5\n") == "test.out:3: 'fn=' before 'events:'");
}

BOOST_AUTO_TEST_SUITE_END()

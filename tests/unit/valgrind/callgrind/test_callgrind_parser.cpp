#include "valgrind/callgrind/callgrind_parser.hpp"
#include "util/error.hpp"
#include "error_message.hpp"
#include "temp_dir.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

using namespace cibench;

namespace {

Profile parse(const std::string& text) {
  std::istringstream in(text);
  return parse_callgrind(in, "cg.out");
}

std::string error_of(const std::string& text) { return error_message(ErrorKind::parse, [&] { parse(text); }); }

const FunctionCost& fn(const Profile& p, const std::string& file, const std::string& name) {
  for (auto& f : p.functions)
    if (f.file == file && f.function == name) return f;
  BOOST_FAIL("no function " + file + ":" + name);
  throw;
}

std::string without_leading_slash(std::string s) { return s.empty() || s[0] != '/' ? s : s.substr(1); }

// callgrind_annotate's table: "file:function" -> Ir, and its PROGRAM TOTALS line.
struct Annotation {
  std::map<std::string, std::uint64_t> ir;
  std::vector<std::uint64_t> totals;
};

Annotation read_annotation(const std::string& path) {
  Annotation a;
  std::ifstream in(path);
  // A row is one column per event, "1,234 (12.34%)", a bare "0", or "." for zero, then "file:function [object]".
  const std::regex column(R"(^\s*(?:([0-9][0-9,]*)(?: \(\s*[0-9.]+%\))?|\.)(?=\s))");
  auto to_number = [](std::string s) { return std::stoull(std::regex_replace(s, std::regex(","), "")); };
  bool in_table = false;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::uint64_t> counts;
    std::string rest = line;
    for (std::smatch m; std::regex_search(rest, m, column);) {
      counts.push_back(m[1].matched ? to_number(m[1].str()) : 0);
      rest = m.suffix().str();
    }
    if (counts.empty()) {
      in_table = in_table || line.find("file:function") != std::string::npos;
      continue;
    }
    std::string name = std::regex_replace(rest, std::regex(R"(^\s+| \[[^\]]*\]$)"), "");
    if (name == "PROGRAM TOTALS") a.totals = counts;
    else if (in_table) a.ir[without_leading_slash(name)] = counts[0];
  }
  return a;
}

// A name Callgrind never wrote is empty to callgrind_annotate, which adds up the costs of all of them.
std::string as_annotate_names_it(const std::string& name) { return std::regex_replace(name, std::regex(R"(\(unnamed \w+ \d+\))"), ""); }

// Every function callgrind_annotate lists has the same Ir here, self and inclusive, and the totals agree.
// `unlisted_self`: Ir that callgrind_annotate counts in its PROGRAM TOTALS but lists under no function.
void check_against_callgrind_annotate(const std::string& stem, std::uint64_t unlisted_self = 0) {
  const std::string dir = CIBENCH_FIXTURES "/";
  Profile p = parse_callgrind_files({dir + stem + ".callgrind.out"});
  Annotation self = read_annotation(dir + stem + ".annotate-self.txt");
  Annotation inclusive = read_annotation(dir + stem + ".annotate-inclusive.txt");
  BOOST_REQUIRE_GT(self.ir.size(), 20u);
  // callgrind_annotate prints the `summary:` line, which Callgrind writes a couple of instructions
  // above the `totals:` its cost lines add up to (119 101 against 119 099 here). Our totals are
  // checked against the sum of annotate's own per-function figures instead.
  std::uint64_t annotated_sum = 0;
  for (auto& [name, ir] : self.ir) annotated_sum += ir;
  BOOST_TEST(p.totals[0] == annotated_sum + unlisted_self);
  BOOST_TEST(self.totals[0] >= p.totals[0]);
  BOOST_TEST(self.totals[0] - p.totals[0] <= 10u);
  std::map<std::string, std::uint64_t> our_self, our_inclusive;
  for (auto& f : p.functions) {
    const std::string name = as_annotate_names_it(without_leading_slash(f.file + ":" + f.function));
    our_self[name] += f.self[0];
    our_inclusive[name] += f.inclusive[0];
  }
  for (auto& [name, ir] : self.ir) {
    BOOST_REQUIRE_MESSAGE(our_self.count(name), "callgrind_annotate lists " << name);
    BOOST_TEST_CONTEXT(name) { BOOST_TEST(our_self[name] == ir); }
  }
  for (auto& [name, ir] : inclusive.ir) {
    BOOST_REQUIRE_MESSAGE(our_inclusive.count(name), "callgrind_annotate lists " << name);
    BOOST_TEST_CONTEXT(name) { BOOST_TEST(our_inclusive[name] == ir); }
  }
}

const char* kHeader = "# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\ncmd: ./prog\npart: 1\n"
                      "positions: line\nevents: Ir Dr\n";

} // namespace

BOOST_AUTO_TEST_SUITE(callgrind_parser)

BOOST_AUTO_TEST_CASE(real_file_agrees_with_callgrind_annotate) { check_against_callgrind_annotate("testprog-loop"); }

BOOST_AUTO_TEST_CASE(real_file_with_instruction_positions_agrees_with_callgrind_annotate) {
  check_against_callgrind_annotate("testprog-loop.instr");
}

// Callgrind 3.19 wrote "fi=(32)" and "cfn=(8)" without their names (make-unnamed-file.sh): the
// parser used to reject the file ("file (32) is used before it is defined").
BOOST_AUTO_TEST_CASE(real_file_with_names_callgrind_never_wrote_agrees_with_callgrind_annotate) {
  // callgrind_annotate's self table leaves out strcmp-sse2.S's unnamed function (48 Ir, a leaf: its
  // inclusive table lists it with them) although its PROGRAM TOTALS count them, as ours do.
  check_against_callgrind_annotate("unnamed-file", 48);
  Profile p = parse_callgrind_files({CIBENCH_FIXTURES "/unnamed-file.callgrind.out"});
  BOOST_TEST(std::count_if(p.functions.begin(), p.functions.end(),
                           [](const FunctionCost& f) { return f.file == "(unnamed file 32)"; }) == 1);
}

BOOST_AUTO_TEST_CASE(real_files_are_recognised) {
  BOOST_TEST(looks_like_callgrind(CIBENCH_FIXTURES "/testprog-loop.callgrind.out"));
  BOOST_TEST(!looks_like_callgrind(CIBENCH_FIXTURES "/testprog-loop.cachegrind.out"));
}

BOOST_AUTO_TEST_CASE(compressed_names_are_defined_once_and_reused) {
  auto p = parse(std::string(kHeader) + "fl=(1) a.c\nfn=(1) f\n1 10 1\nfl=(2) b.c\nfn=(2) g\n1 5\nfl=(1)\nfn=(1)\n2 3\ntotals: 18 1\n");
  BOOST_TEST(p.functions.size() == 2u);
  BOOST_TEST(fn(p, "a.c", "f").self == (std::vector<std::uint64_t>{13, 1}));
  BOOST_TEST(fn(p, "b.c", "g").self == (std::vector<std::uint64_t>{5, 0})); // short cost line: padded
}

BOOST_AUTO_TEST_CASE(inlined_files_count_apart_as_callgrind_annotate_does) {
  auto p = parse(std::string(kHeader) + "fl=(1) a.c\nfn=(1) f\n1 10\nfi=(2) inl.h\n5 4\nfe=(1)\n2 1\ntotals: 15 0\n");
  BOOST_TEST(fn(p, "a.c", "f").self[0] == 11u);
  BOOST_TEST(fn(p, "inl.h", "f").self[0] == 4u);
}

BOOST_AUTO_TEST_CASE(call_costs_are_inclusive_for_the_caller_only) {
  auto p = parse(std::string(kHeader) +
                 "fl=(1) a.c\nfn=(1) main\n1 2\ncfi=(2) b.c\ncfn=(2) work\ncalls=3 10\n1 300 30\n2 1\n"
                 "fl=(2)\nfn=(2)\n10 300 30\ntotals: 303 30\n");
  const auto& main_fn = fn(p, "a.c", "main");
  BOOST_TEST(main_fn.self[0] == 3u);
  BOOST_TEST(main_fn.inclusive[0] == 303u);
  BOOST_TEST(fn(p, "b.c", "work").self[0] == 300u);
  BOOST_REQUIRE(p.calls.size() == 1u);
  BOOST_TEST(p.calls[0].count == 3u);
  BOOST_TEST(p.calls[0].inclusive[0] == 300u);
  BOOST_TEST(p.functions[p.calls[0].callee].function == "work");
}

BOOST_AUTO_TEST_CASE(a_callee_without_cfi_is_in_the_current_file) {
  auto p = parse(std::string(kHeader) + "fl=(1) a.c\nfn=(1) main\ncfn=(2) helper\ncalls=1 5\n1 7\nfn=(2)\n5 7\ntotals: 7 0\n");
  BOOST_TEST(p.functions[p.calls[0].callee].file == "a.c");
}

BOOST_AUTO_TEST_CASE(relative_and_repeated_positions_parse) {
  auto p = parse("positions: instr line\nevents: Ir\nfl=a.c\nfn=f\n0x1000 10 1\n+4 * 2\n-2 +1 3\n* -1 4\ntotals: 10\n");
  BOOST_TEST(fn(p, "a.c", "f").self[0] == 10u);
  BOOST_TEST(error_of("positions: instr line\nevents: Ir\nfl=a.c\nfn=f\n+x 1 1\ntotals: 1\n").find("relative position 'x'") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(parts_are_added_up) {
  TempDir dir;
  auto a = dir.write("callgrind.out.1", std::string(kHeader) + "fl=(1) a.c\nfn=(1) f\n1 10 1\ntotals: 10 1\n");
  auto b = dir.write("callgrind.out.2", std::string(kHeader) + "fl=(1) a.c\nfn=(1) f\n1 5\nfn=(2) g\n1 1\ntotals: 6 0\n");
  Profile p = parse_callgrind_files({a, b});
  BOOST_TEST(p.totals == (std::vector<std::uint64_t>{16, 1}));
  BOOST_TEST(fn(p, "a.c", "f").self[0] == 15u);
  BOOST_TEST(p.functions.size() == 2u);
}

BOOST_AUTO_TEST_CASE(an_id_used_before_its_name_counts_under_an_unnamed_entry) {
  auto p = parse(std::string(kHeader) + "fl=(1) a.c\nfn=(3)\n1 4\nfi=(7)\n2 5\nfe=(1)\nfn=(3) f\n3 1\ntotals: 10 0\n");
  BOOST_TEST(fn(p, "a.c", "(unnamed function 3)").self[0] == 4u);
  BOOST_TEST(fn(p, "(unnamed file 7)", "(unnamed function 3)").self[0] == 5u);
  BOOST_TEST(fn(p, "a.c", "f").self[0] == 1u); // defined later: named from there on
}

BOOST_AUTO_TEST_CASE(malformed_input_is_an_error_with_its_line) {
  BOOST_TEST(error_of(std::string(kHeader) + "fl=(1) a.c\nfn=(1) f\n1 10\n").find("truncated") != std::string::npos);
  BOOST_TEST(error_of(std::string(kHeader) + "1 10\n") == "cg.out:8: a cost line outside any 'fn='");
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 1 2 3\n") == "cg.out:10: cost line has 3 counts for 2 events");
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 1 x\n") == "cg.out:10: count 'x' is not a non-negative integer");
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 99999999999999999999\n").find("does not fit in 64 bits") !=
             std::string::npos);
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 10\ntotals: 11 0\n").find("totals say 11 Ir but the cost lines add up to 10") !=
             std::string::npos);
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\ncalls=1 2\n").find("without a 'cfn='") != std::string::npos);
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\nbogus=1\n").find("unknown specification 'bogus='") != std::string::npos);
  BOOST_TEST(error_of("cmd: x\n").find("no 'events:'") != std::string::npos);
  BOOST_CHECK_THROW(parse_callgrind_files({"/nonexistent/callgrind.out"}), Error);
}

// Found by fuzzing (tests/fuzz/regressions/callgrind/): the callee was made a function with room
// for no counts, and reading its instructions (the runner, `ci-bench diff`, `ci-bench folded`)
// went past the end: a segfault.
BOOST_AUTO_TEST_CASE(rejects_a_callee_before_the_events_line) {
  BOOST_TEST(error_of("cfn=(1) callee\nevents: Ir\nfl=a.c\nfn=main\n1 5\ntotals: 5\n") == "cg.out:1: 'cfn=' before 'events:'");
}

// The file path reads in pieces of whole lines and takes the usual cost lines by a fast path; the
// stream path reads all at once. Both must give the same profile for any text.
void check_same_by_file_and_stream(const std::string& text) {
  TempDir dir;
  Profile by_file = parse_callgrind_files({dir.write("callgrind.out", text)});
  Profile by_stream = parse(text);
  BOOST_TEST(by_file.totals == by_stream.totals);
  BOOST_REQUIRE_EQUAL(by_file.functions.size(), by_stream.functions.size());
  for (size_t i = 0; i < by_file.functions.size(); ++i) {
    BOOST_TEST(by_file.functions[i].function == by_stream.functions[i].function);
    BOOST_TEST(by_file.functions[i].self == by_stream.functions[i].self);
    BOOST_TEST(by_file.functions[i].inclusive == by_stream.functions[i].inclusive);
  }
  BOOST_TEST(by_file.calls.size() == by_stream.calls.size());
}

BOOST_AUTO_TEST_CASE(a_file_larger_than_the_read_buffer_with_a_line_across_pieces) {
  // 3 MB of cost lines: the 1 MB pieces end inside lines, and one name is longer than a piece.
  std::string text = "positions: instr line\nevents: Ir Dr\nfl=(1) a.c\nfn=(1) f\n";
  std::uint64_t ir = 0, dr = 0;
  for (int i = 0; i < 200000; ++i) {
    text += fmt::format("+{} * {} {}\n", i % 7 + 1, i % 13, i % 3);
    ir += i % 13, dr += i % 3;
  }
  const std::string long_name(1500000, 'g');
  text += "fn=(2) " + long_name + "\n0x10 5 7 1\n";
  text += fmt::format("totals: {} {}\n", ir + 7, dr + 1);
  TempDir dir;
  Profile p = parse_callgrind_files({dir.write("callgrind.out", text)});
  BOOST_TEST(fn(p, "a.c", "f").self == (std::vector<std::uint64_t>{ir, dr}));
  BOOST_TEST(fn(p, "a.c", long_name).self == (std::vector<std::uint64_t>{7, 1}));
  check_same_by_file_and_stream(text);
}

BOOST_AUTO_TEST_CASE(unusual_cost_lines_read_the_same_as_usual_ones) {
  // Hex counts, tabs, CRLF ends, a line with positions only, trailing blanks, no final newline.
  const std::string text = std::string(kHeader) +
                           "fl=(1) a.c\nfn=(1) f\n1 0x10 2\n2\t3\t4\r\n3\n4 5 6  \n+1 1 1\ncfn=(2) g\ncalls=2 9\n5 8 0\n"
                           "fn=(2)\n9 8\ntotals: 33 13";
  Profile p = parse(text);
  BOOST_TEST(fn(p, "a.c", "f").self == (std::vector<std::uint64_t>{16 + 3 + 5 + 1, 2 + 4 + 6 + 1}));
  BOOST_TEST(fn(p, "a.c", "f").inclusive == (std::vector<std::uint64_t>{25 + 8, 13}));
  BOOST_TEST(fn(p, "a.c", "g").self == (std::vector<std::uint64_t>{8, 0}));
  check_same_by_file_and_stream(text);
  // An error on a line the fast path declines names that line, as before.
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 2\n1 2 x\n") == "cg.out:11: count 'x' is not a non-negative integer");
  BOOST_TEST(error_of(std::string(kHeader) + "fl=a\nfn=f\n1 18446744073709551615\n1 1\n").find("counts add up past 64 bits") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

#include "valgrind/dhat/dhat_parser.hpp"
#include "valgrind/dhat/heap_figures.hpp"

#include "error_message.hpp"
#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

namespace {
const std::filesystem::path kFixture = std::filesystem::path(CIBENCH_FIXTURES) / "heap-ten-blocks.dhat.json";
}

BOOST_AUTO_TEST_SUITE(dhat_parser)

// The fixture is DHAT's output for a program that allocates ten 1000-byte blocks (in grab(),
// inlined into main) and one of 77 it never frees; Valgrind's log for that run said
//   Total: 83,029 bytes in 17 blocks / At t-gmax: 82,909 bytes in 13 blocks / At t-end: 77 bytes in 1 blocks
BOOST_AUTO_TEST_CASE(whole_process_figures_match_valgrinds_summary) {
  const HeapFigures h = heap_figures(read_dhat(kFixture), "/nowhere", false);
  BOOST_TEST(h.metrics.at("heap_total_bytes") == 83'029);
  BOOST_TEST(h.metrics.at("heap_total_blocks") == 17);
  BOOST_TEST(h.metrics.at("heap_peak_bytes") == 82'909);
  BOOST_TEST(h.metrics.at("heap_peak_blocks") == 13);
  BOOST_TEST(h.metrics.at("heap_end_bytes") == 77);
}

BOOST_AUTO_TEST_CASE(sites_start_at_the_first_frame_with_source_outside_usr) {
  const HeapFigures h = heap_figures(read_dhat(kFixture), "/tmp/tmp.oXChTqRGro", false);
  // the ten blocks, the 77 bytes and the vector that holds the pointers (its frames in /usr/include skipped)
  BOOST_TEST(h.total_by_site.at("main (p.cpp)") == 10'000 + 77 + 248);
}

BOOST_AUTO_TEST_CASE(a_region_counts_only_what_its_frame_is_on) {
  const HeapFigures h = heap_figures(read_dhat(kFixture), "/nowhere", true);
  BOOST_TEST(h.metrics.at("heap_total_bytes") == 0); // no cibench_heap_region frame in this program
  BOOST_TEST(h.total_by_site.empty());
}

BOOST_AUTO_TEST_CASE(frames_are_split_into_function_file_and_line) {
  auto f = parse_dhat_frame("0x10912C: main (/src/p.cpp:4)");
  BOOST_TEST(f.function == "main");
  BOOST_TEST(f.file == "/src/p.cpp");
  BOOST_TEST(f.line == 4);
  f = parse_dhat_frame("0x4841F2F: operator new(unsigned long) (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)");
  BOOST_TEST(f.function == "operator new(unsigned long)");
  BOOST_TEST(f.file.empty());
}

BOOST_AUTO_TEST_CASE(refuses_what_is_not_dhat_heap_json) {
  TempDir dir;
  for (auto bad : {"{}", "{\"dhatFileVersion\": 2, \"mode\": \"copy\"}", "not json",
                   "{\"dhatFileVersion\": 2, \"mode\": \"heap\", \"pps\": [{\"tb\": 1}], \"ftbl\": []}"}) {
    const auto file = dir.write("x.json", bad);
    BOOST_TEST_CONTEXT(bad)
    BOOST_TEST(error_message(ErrorKind::parse, [&] { read_dhat(file); }).find("x.json: not DHAT's JSON output") != std::string::npos);
  }
}

// A site's frames: measure()'s trampoline named by its benchmark, a long template name shortened
// at its template arguments, never cut in the middle of a name.
BOOST_AUTO_TEST_CASE(site_names_are_short_whole_names) {
  const std::string long_template = "std::vector<std::basic_string<char, std::char_traits<char>, std::allocator<char> >, "
                                    "std::allocator<std::basic_string<char, std::char_traits<char>, std::allocator<char> > > "
                                    ">::_M_realloc_insert<std::basic_string<char, std::char_traits<char>, std::allocator<char> > "
                                    "const&>(__gnu_cxx::__normal_iterator<std::string*, std::vector<std::string> >, std::string const&)";
  DhatProfile p;
  p.sites.push_back(DhatSite{.total_bytes = 10, .total_blocks = 1, .peak_bytes = 10, .peak_blocks = 1, .end_bytes = 0, .end_blocks = 0,
                             .stack = {{"malloc", "/usr/libexec/valgrind/vg_replace_malloc.c", 1},
                                       {long_template, "/work/p/store.hpp", 2},
                                       {"cibench::Bench::measure<cibench_benchmark_30(cibench::Bench&)::{lambda()#1}>(cibench_benchmark_30("
                                        "cibench::Bench&)::{lambda()#1}&&)::{lambda(void*)#1}::_FUN(void*)",
                                        "/work/p/bench.cpp", 3},
                                       {"cibench_heap_region", "/work/p/include/cibench/workload.hpp", 4}}});
  const HeapFigures h = heap_figures(p, "/work/p", true);
  BOOST_REQUIRE_EQUAL(h.total_by_site.size(), 1u);
  BOOST_TEST(h.total_by_site.begin()->first ==
             "std::vector<…>::_M_realloc_insert<…>(__gnu_cxx::__normal_iterator<…>, std::string const&) "
             "(store.hpp) < cibench_benchmark_30 (body)");
}

BOOST_AUTO_TEST_SUITE_END()


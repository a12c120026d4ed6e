#include "baseline/baseline.hpp"
#include "util/error.hpp"
#include "util/file_names.hpp"
#include "error_message.hpp"
#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

namespace {

Baseline sample(const std::string& name) {
  Baseline b;
  b.benchmark = name;
  b.metrics = {{"Ir", 123}, {"instructions", 123}};
  b.toolchain = {"valgrind-3.19.0", "I1=1,1,1 D1=1,1,1 LL=1,1,1", "GCC 12", "glibc 2.36", "x86_64", "cachegrind"};
  return b;
}

std::string error_of(const TempDir& dir, const std::string& name) {
  return error_message(ErrorKind::baseline, [&] { load_baseline(dir.path, name); });
}

} // namespace

BOOST_AUTO_TEST_SUITE(baseline)

BOOST_AUTO_TEST_CASE(round_trips_through_a_file) {
  TempDir dir;
  save_baseline(dir.path / "baselines", sample("sort/100k"));
  auto b = load_baseline(dir.path / "baselines", "sort/100k");
  BOOST_REQUIRE(b.has_value());
  BOOST_TEST(b->metrics == sample("x").metrics);
  BOOST_TEST(b->toolchain.valgrind == "valgrind-3.19.0");
  BOOST_TEST(b->toolchain.compiler == "GCC 12");
  BOOST_TEST(baseline_names(dir.path / "baselines") == std::vector<std::string>{"sort/100k"});
}

BOOST_AUTO_TEST_CASE(leaves_no_temporary_file_and_replaces_the_old_one) {
  TempDir dir;
  save_baseline(dir.path, sample("a"));
  auto changed = sample("a");
  changed.metrics["Ir"] = 456;
  save_baseline(dir.path, changed);
  BOOST_TEST(load_baseline(dir.path, "a")->metrics.at("Ir") == 456);
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path)) {
    ++files;
    BOOST_TEST(e.path().filename() == "a.json");
  }
  BOOST_TEST(files == 1);
}

BOOST_AUTO_TEST_CASE(missing_is_nullopt) {
  TempDir dir;
  BOOST_TEST(!load_baseline(dir.path, "nothing").has_value());
  BOOST_TEST(baseline_names(dir.path / "absent").empty());
}

BOOST_AUTO_TEST_CASE(corrupt_files_are_reported_with_their_path_and_a_fix) {
  TempDir dir;
  dir.write("a.json", "{\"schema\": 1, \"benchmark\": \"a\", \"metrics\": {\"Ir\": 12");
  auto msg = error_of(dir, "a");
  BOOST_TEST(msg.find((dir.path / "a.json").string() + ": corrupt baseline") == 0u, msg);
  BOOST_TEST(msg.find("--update-baselines") != std::string::npos);

  dir.write("b.json", "{\"schema\": 1, \"benchmark\": \"b\", \"metrics\": {\"Ir\": \"12\"}}");
  BOOST_TEST(error_of(dir, "b").find("metric 'Ir' is not an integer") != std::string::npos);
  dir.write("c.json", "{\"schema\": 9, \"benchmark\": \"c\", \"metrics\": {}}");
  BOOST_TEST(error_of(dir, "c").find("\"schema\": 1") != std::string::npos);
  dir.write("d.json", "{\"schema\": 1, \"benchmark\": \"other\", \"metrics\": {}}");
  BOOST_TEST(error_of(dir, "d").find("it is for benchmark 'other'") != std::string::npos);
  dir.write("e.json", "[]");
  BOOST_CHECK_THROW(load_baseline(dir.path, "e"), Error);
}

BOOST_AUTO_TEST_CASE(a_negative_count_is_refused_unless_a_calibrated_region_can_have_it) {
  TempDir dir;
  dir.write("a.json", "{\"schema\": 1, \"benchmark\": \"a\", \"metrics\": {\"Ir\": 10, \"instructions\": -5}}");
  auto msg = error_of(dir, "a");
  BOOST_TEST(msg.find((dir.path / "a.json").string() + ": corrupt baseline: metric 'instructions' is -5") == 0u, msg);
  // One run's misses minus the calibration run's: a raw miss event may dip below zero by a few.
  dir.write("b.json", "{\"schema\": 1, \"benchmark\": \"b\", \"metrics\": {\"Ir\": 10, \"D1mr\": -1}}");
  BOOST_TEST(load_baseline(dir.path, "b")->metrics.at("D1mr") == -1);
}

BOOST_AUTO_TEST_CASE(names_are_escaped_into_file_names_that_stay_in_their_folder) {
  BOOST_TEST(file_stem("sort.longs.100k") == "sort.longs.100k");
  BOOST_TEST(file_stem("store.sqlite/1") == "store.sqlite%2F1");
  BOOST_TEST(file_stem("../../etc/passwd") == "%2E.%2F..%2Fetc%2Fpasswd");
  BOOST_TEST(file_stem("a b|c") == "a%20b%7Cc");
  BOOST_TEST(file_stem("a_b") != file_stem("a/b"));
  BOOST_TEST(baseline_file("/base", "../x").parent_path() == "/base");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(baseline_lines)

BOOST_AUTO_TEST_CASE(lines_round_trip_and_a_bad_key_names_the_file) {
  const std::string text = R"({"schema": 1, "benchmark": "b", "metrics": {"Ir": 5},
    "lines": {"src/a b.cpp:12 0badf00d/0": 40, "/usr/include/x.h:3 -": 7}, "lines_complete": true})";
  BOOST_TEST(cibench::parse_baseline(text, "b").lines.size() == 2u);
  const cibench::Baseline b = cibench::parse_baseline(text, "baselines/b.json");
  BOOST_TEST(b.lines.at("src/a b.cpp:12").text == "0badf00d/0");
  BOOST_TEST(b.lines.at("src/a b.cpp:12").instructions == 40);
  BOOST_TEST(b.lines.at("/usr/include/x.h:3").text.empty());
  BOOST_TEST(b.lines_complete);
  for (const char* bad : {R"("a.cpp:12": 4)", R"("a.cpp 0badf00d/0": 4)", R"("a.cpp:1 0badf00d/0": -4)",
                          R"("a.cpp:1 0badf00d/0": "4")", R"("a.cpp:3x 0badf00d/0": 4)", R"("a.cpp:3 zzz": 4)",
                          R"("a.cpp:3 0badf00d/0": 4, "a.cpp:3 0badf00e/0": 5)", R"("a.cpp:3 -": 4611686018427387904)"}) {
    try {
      cibench::parse_baseline(std::string(R"({"schema": 1, "benchmark": "b", "metrics": {}, "lines": {)") + bad + "}}", "baselines/b.json");
      BOOST_FAIL(std::string("accepted ") + bad);
    } catch (const cibench::Error& e) {
      BOOST_TEST(std::string(e.what()).find("baselines/b.json: corrupt baseline") != std::string::npos, e.what());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

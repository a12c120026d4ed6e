// Saved wall-clock samples: what --save writes, --baseline can read; a bad entry spoils only itself.
#include "temp_dir.hpp"
#include "util/error.hpp"
#include "wallclock/saved_samples.hpp"

#include <boost/test/unit_test.hpp>
#include <limits>

using namespace cibench;

namespace {
TimedBenchmark timed(const std::string& name, std::vector<double> ns, std::string error = {}) {
  return TimedBenchmark{name, std::move(ns), 10, {}, std::move(error), {}};
}
auto message_has(const std::string& part) {
  return [part](const Error& e) { return std::string(e.what()).find(part) != std::string::npos; };
}
} // namespace

BOOST_AUTO_TEST_SUITE(saved_samples)

BOOST_AUTO_TEST_CASE(the_problem_check_refuses_what_no_comparison_can_use) {
  BOOST_TEST(saved_samples_problem({1, 2}, 1).empty());
  BOOST_TEST(saved_samples_problem({5}, 1) == "1 sample(s); a comparison needs at least 2");
  BOOST_TEST(saved_samples_problem({}, 1) == "0 sample(s); a comparison needs at least 2");
  BOOST_TEST(saved_samples_problem({1, -3}, 1) == "sample 2 is -3, not a time in ns");
  const double inf = std::numeric_limits<double>::infinity();
  BOOST_TEST(saved_samples_problem({1, inf}, 1) == "sample 2 is inf, not a time in ns");
  BOOST_TEST(saved_samples_problem({1, 1e300}, 1) == "sample 2 is 1e+300, not a time in ns"); // its sums would overflow
  BOOST_TEST(saved_samples_problem({1, 2}, 0) == "0 iterations a sample, fewer than one");
}

BOOST_AUTO_TEST_CASE(save_leaves_out_errors_and_what_could_not_be_loaded) {
  TempDir dir;
  const auto file = dir.path / "time" / "main.json"; // the folder is made
  auto left_out = save_samples(file, "main", {timed("good", {100, 101, 99}), timed("crashed", {}, "workload crashed"),
                                              timed("single", {100})});
  BOOST_TEST(left_out.size() == 1u);
  BOOST_TEST(left_out.at("single") == "1 sample(s); a comparison needs at least 2");
  SavedSamples back = load_samples(file, "main");
  BOOST_TEST(back.benchmarks.size() == 1u);
  BOOST_TEST(back.skipped.empty());
  BOOST_TEST(back.benchmarks.at("good").ns_per_iteration == std::vector<double>({100, 101, 99}));
  BOOST_TEST(back.benchmarks.at("good").iterations == 10);
  BOOST_TEST(back.name == "main");
}

BOOST_AUTO_TEST_CASE(a_bad_entry_is_skipped_with_its_reason_and_the_rest_loads) {
  TempDir dir;
  const auto file = dir.write("old.json", R"({"schema": 1, "name": "old", "benchmarks": {
      "one": {"iterations": 10, "ns_per_iteration": [100000.0]},
      "words": {"iterations": 1, "ns_per_iteration": "fast"},
      "negative": {"iterations": 1, "ns_per_iteration": [5, -1]},
      "fine": {"iterations": 1, "ns_per_iteration": [5, 6]}}})");
  SavedSamples s = load_samples(file, "old");
  BOOST_TEST(s.benchmarks.size() == 1u);
  BOOST_TEST(s.benchmarks.count("fine") == 1u);
  BOOST_TEST(s.skipped.at("one") == "its entry in " + file.string() + ": 1 sample(s); a comparison needs at least 2");
  BOOST_TEST(s.skipped.at("negative") == "its entry in " + file.string() + ": sample 2 is -1, not a time in ns");
  BOOST_TEST(s.skipped.at("words").find("not a saved entry") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unusable_file_is_an_error_naming_it) {
  TempDir dir;
  BOOST_CHECK_EXCEPTION(load_samples(dir.path / "none.json", "none"), Error, message_has("ci-bench time --save none"));
  const auto cut = dir.write("cut.json", R"({"schema": 1, "benchmarks": )");
  BOOST_CHECK_EXCEPTION(load_samples(cut, "cut"), Error, message_has(cut.string() + ": corrupt saved samples:"));
  const auto future = dir.write("future.json", R"({"schema": 2, "name": "f", "benchmarks": {}})");
  BOOST_CHECK_EXCEPTION(load_samples(future, "f"), Error, message_has("not schema 1"));
  const auto typed = dir.write("typed.json", R"({"schema": "1", "name": "t", "benchmarks": {}})");
  BOOST_CHECK_EXCEPTION(load_samples(typed, "t"), Error, message_has(typed.string() + ": corrupt saved samples:"));
  const auto list = dir.write("list.json", R"({"schema": 1, "name": "l", "benchmarks": []})");
  BOOST_CHECK_EXCEPTION(load_samples(list, "l"), Error, message_has(list.string() + ": corrupt saved samples:"));
}

BOOST_AUTO_TEST_SUITE_END()

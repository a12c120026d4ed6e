// analyse_timing: one benchmark's bad samples become its own error, never the whole run's.
#include "wallclock/time_report.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

namespace {
TimedBenchmark timed(std::vector<double> ns) { return TimedBenchmark{"bench", std::move(ns), 1, {}, {}, {}}; }
const std::vector<double> kTen = {100, 102, 98, 101, 99, 100, 103, 97, 100, 101};
} // namespace

BOOST_AUTO_TEST_SUITE(time_analysis)

BOOST_AUTO_TEST_CASE(no_samples_or_one_is_the_benchmarks_error) {
  // Before: summarize() threw "statistics: no samples" out of the time command.
  TimeResult none = analyse_timing(timed({}), nullptr, 10);
  BOOST_TEST(none.timed.error == "0 sample(s): the statistics need at least 2");
  TimeResult one = analyse_timing(timed({100}), nullptr, 10);
  BOOST_TEST(one.timed.error == "1 sample(s): the statistics need at least 2");
  TimeReport report;
  report.results = {analyse_timing(timed(kTen), nullptr, 10), one};
  BOOST_TEST(report.exit_code() == 2);
}

BOOST_AUTO_TEST_CASE(an_error_from_timing_is_kept_as_it_is) {
  TimedBenchmark crashed = timed({});
  crashed.error = "workload killed by SIGSEGV";
  BOOST_TEST(analyse_timing(crashed, nullptr, 10).timed.error == "workload killed by SIGSEGV");
}

BOOST_AUTO_TEST_CASE(a_comparison_that_throws_is_the_benchmarks_error) {
  // A baseline entry that bypassed the loader's checks: one sample, which Welch's test refuses.
  SavedSamples base{"main", "out/time/main.json", {{"bench", timed({100})}}, {}};
  TimeResult r = analyse_timing(timed(kTen), &base, 10);
  BOOST_TEST(!r.comparison.has_value());
  const std::string expected = "comparing with saved samples 'main' (out/time/main.json): statistics: Welch's";
  BOOST_TEST(r.timed.error.substr(0, expected.size()) == expected);
}

BOOST_AUTO_TEST_CASE(a_skipped_baseline_entry_is_a_note_not_an_error) {
  SavedSamples base{"main", "m.json", {}, {{"bench", "its entry in m.json: 1 sample(s); a comparison needs at least 2"}}};
  TimeResult r = analyse_timing(timed(kTen), &base, 10);
  BOOST_TEST(r.timed.error.empty());
  BOOST_TEST(!r.comparison.has_value());
  BOOST_TEST(r.not_compared == "its entry in m.json: 1 sample(s); a comparison needs at least 2");
  BOOST_TEST(r.summary.n == 10u);
}

BOOST_AUTO_TEST_CASE(a_usable_baseline_is_compared_and_summarized) {
  std::vector<double> slower;
  for (double v : kTen) slower.push_back(v * 1.3);
  SavedSamples base{"main", "m.json", {{"bench", timed(kTen)}}, {}};
  TimeResult r = analyse_timing(timed(slower), &base, 10);
  BOOST_TEST(r.timed.error.empty());
  BOOST_REQUIRE(r.comparison.has_value());
  BOOST_TEST((r.comparison->verdict == TimeVerdict::regression));
  BOOST_TEST(r.baseline_summary.mean == 100.1);
  BOOST_TEST(r.summary.n == 10u);
}

BOOST_AUTO_TEST_SUITE_END()

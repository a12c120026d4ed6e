// results.json's one model: a file read back (results_reader.cpp) and written again
// (results_json.cpp) is the same document, field for field, and a bad field is named by its path.
#include "results/results_json.hpp"
#include "util/error.hpp"
#include "error_message.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>

using namespace cibench;
using nlohmann::json;

namespace {

// A real run's results.json (tests/tools/fixtures/make_run.py): every status, a comparison,
// function, allocation-site and symbol changes, byte thresholds, a removed baseline, outside names.
const char* const kRealRun = CIBENCH_FIXTURES "/../../tools/fixtures/run/results.json";

json read_json(const char* file) {
  std::ifstream in(file);
  return json::parse(in);
}

std::string error_of(const json& document) {
  return error_message(ErrorKind::parse, [&] { results_of_document(document, "results.json"); });
}

} // namespace

BOOST_AUTO_TEST_SUITE(results_json)

BOOST_AUTO_TEST_CASE(a_real_runs_file_read_and_written_again_is_the_same) {
  const json original = read_json(kRealRun);
  const json again = results_document(read_results_json(kRealRun).run);
  BOOST_TEST(again == original, "differs from the file read: " << json::diff(original, again).dump());
  // And the fixture holds what the round trip must keep.
  BOOST_TEST(original["benchmarks"].size() >= 6u);
  BOOST_TEST(!original["comparisons"].empty());
  BOOST_TEST(!original["gone"].empty());
}

BOOST_AUTO_TEST_CASE(every_field_kind_survives_the_round_trip) {
  json original = read_json(kRealRun);
  json& entry = original["benchmarks"][0];
  entry["budget"] = {{"instructions", 5}};
  entry["thresholds"]["instructions"] = {{"warn", 1.5}, {"fail", 3.0}};
  for (auto& sized : original["benchmarks"]) // the [[artifact]]'s
    if (sized["metrics"].contains("text_bytes")) sized["thresholds"]["text_bytes"] = {{"warn_bytes", 100}, {"fail_bytes", 1000}};
  entry["reuse_blocked"] = {"it wrote /etc/x"};
  entry["uncounted_before_exec"] = {"/bin/sh"};
  entry["floored_metrics"] = {"l2_hits -1"};
  entry["unstable_events"] = {"Ir 5 then 7"};
  original["drift"] = json::array({{{"benchmark", "a"}, {"metric", "instructions"}, {"change_pct", 6.5}, {"points", 5},
                                    {"branch", "main"}, {"largest_step_pct", 1.5}, {"warn_pct", 2.0},
                                    {"threshold_pct", 5.0}, {"each_step_under_warn", true}}});
  original["history_error"] = "database is locked";
  original["shard"] = {{"index", 2}, {"count", 3}, {"benchmarks", {"a", "b"}},
                       {"comparisons", json::array({{{"name", "c"}, {"baseline", "a"}, {"candidate", "b"}}})}};
  // What the writer computes from these (the drift's sentence, the exit code) is compared too.
  json again = results_document(results_of_document(original, "edited").run);
  BOOST_TEST(again["exit_code"] == 2);
  BOOST_TEST(again["drift"][0]["message"].get<std::string>().find("6.5") != std::string::npos);
  again["drift"][0].erase("message");
  original["exit_code"] = 2;
  BOOST_TEST(again == original, "differs: " << json::diff(original, again).dump());
}

BOOST_AUTO_TEST_CASE(a_bad_field_is_named_by_its_path) {
  json document = read_json(kRealRun);
  document["benchmarks"][1]["metrics"]["instructions"] = -5;
  BOOST_TEST(error_of(document).find("benchmarks[1].metrics.instructions: is -5: it cannot be negative") != std::string::npos,
             error_of(document));
  document = read_json(kRealRun);
  document["benchmarks"][0]["status"] = "great";
  BOOST_TEST(error_of(document).find("benchmarks[0].status: is not a status") != std::string::npos);
  document = read_json(kRealRun);
  document["benchmarks"][2]["function_changes"] = json::array({{{"before", 1}}});
  BOOST_TEST(error_of(document).find("benchmarks[2].function_changes[0].function: is missing") != std::string::npos,
             error_of(document));
  document = read_json(kRealRun);
  document["schema"] = 2;
  BOOST_TEST(error_of(document).find("schema: must be 1") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

#include "measure/measurement.hpp"

#include "error_message.hpp"
#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(measurement_set)

// The set is what merging shards and recording history will start from: it must come back whole.
BOOST_AUTO_TEST_CASE(round_trips_through_a_file_failures_and_kinds_included) {
  TempDir dir;
  MeasurementSet set;
  set.host = {"valgrind-3.19.0", "I1=32768,8,64 D1=32768,8,64 LL=8388608,16,64", "", "glibc 2.36", "x86_64", ""};
  Measurement ok{.name = "sort", .tool = "cachegrind", .toolchain = set.host, .events = {{"Ir", 12}, {"D1mr", -3}},
                 .functions = {{"a.cpp:f()", 12}}, .lines = {{"a.cpp:3", {12, "0badf00d/0", {"f()"}}}}, .allocation_sites_peak = {{"a.cpp:grow()", 4096}},
                 .allocation_sites_total = {{"a.cpp:grow()", 8192}}, .symbols = {{"f()", 64}}, .seconds = 0.5,
                 .files = {"sort.cachegrind.out"}, .failure = {},
                 .content_fingerprint = "ab12", .reused = true, .manifest = {{"path /lib/libc.so.6", "file 00"}},
                 .reuse_blocked = {}, .uncounted_before_exec = {}, .unstable_events = {}, .processes = {},
                 .floored_metrics = {}};
  Measurement bad{.name = "hang", .tool = "callgrind", .toolchain = {}, .events = {}, .functions = {}, .lines = {},
                  .allocation_sites_peak = {}, .allocation_sites_total = {}, .symbols = {}, .seconds = 2,
                  .files = {}, .failure = Failure{ErrorKind::timeout, "timed out after 2 s"},
                  .content_fingerprint = {}, .reused = false, .manifest = {}, .reuse_blocked = {"it opens a socket"},
                  .uncounted_before_exec = {"/bin/true"}, .unstable_events = {"Ir 5 then 7"}, .processes = {},
                  .floored_metrics = {}};
  set.measurements = {ok, bad};
  write_measurement_set(set, dir.path / "measurements.json");
  const MeasurementSet back = read_measurement_set(dir.path / "measurements.json");
  BOOST_REQUIRE_EQUAL(back.measurements.size(), 2u);
  BOOST_TEST(back.host.libc == "glibc 2.36");
  BOOST_TEST(back.measurements[0].events == ok.events);
  BOOST_TEST(back.measurements[0].lines.at("a.cpp:3").text == "0badf00d/0");
  BOOST_TEST(back.measurements[0].lines.at("a.cpp:3").functions == std::vector<std::string>{"f()"});
  BOOST_TEST(back.measurements[0].functions == ok.functions);
  BOOST_TEST(back.measurements[0].allocation_sites_peak == ok.allocation_sites_peak);
  BOOST_TEST(back.measurements[0].allocation_sites_total == ok.allocation_sites_total);
  BOOST_TEST(back.measurements[0].symbols == ok.symbols);
  BOOST_TEST(back.measurements[0].ok());
  BOOST_TEST(back.measurements[0].content_fingerprint == "ab12");
  BOOST_TEST(back.measurements[0].reused);
  BOOST_TEST(back.measurements[1].unstable_events == std::vector<std::string>{"Ir 5 then 7"});
  BOOST_REQUIRE(back.measurements[1].failure.has_value());
  BOOST_TEST(to_string(back.measurements[1].failure->kind) == "timeout");
  BOOST_TEST(back.measurements[1].failure->message == "timed out after 2 s");
}

BOOST_AUTO_TEST_CASE(an_unknown_error_kind_or_schema_is_a_parse_error_naming_the_file) {
  TempDir dir;
  auto file = dir.write("m.json", R"({"schema": 1, "measurements": [{"name": "x", "failure": {"kind": "gremlins", "message": ""}}]})");
  BOOST_TEST(error_message(ErrorKind::parse, [&] { read_measurement_set(file); }).find("'gremlins' is not an error kind") !=
             std::string::npos);
  file = dir.write("n.json", R"({"schema": 2, "measurements": []})");
  BOOST_TEST(error_message(ErrorKind::parse, [&] { read_measurement_set(file); }).find(file.string()) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

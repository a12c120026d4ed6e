#include "config.hpp"
#include "error.hpp"
#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

namespace {

std::string error_of(const std::string& toml) {
  TempDir dir;
  auto file = dir.write("ci-bench.toml", toml);
  try {
    load_config(file);
  } catch (const Error& e) {
    std::string msg = e.what();
    const std::string prefix = file.string() + ":";
    BOOST_TEST(msg.substr(0, prefix.size()) == prefix, "message names the file: " << msg);
    return msg.substr(prefix.size());
  }
  BOOST_FAIL("expected a config error");
  return {};
}

const char* kBench = "[[benchmark]]\nname = \"b\"\ncommand = [\"bin/prog\", \"1\"]\n";

} // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(reads_benchmarks_suites_and_defaults) {
  TempDir dir;
  auto file = dir.write("ci-bench.toml", std::string(kBench) + "[[suite]]\nbinary = \"build/suite\"\ntimeout = 5\n");
  Config c = load_config(file);
  BOOST_TEST(c.baseline_dir == dir.path / "baselines");
  BOOST_REQUIRE(c.benchmarks.size() == 1u);
  BOOST_TEST(c.benchmarks[0].command[0] == (dir.path / "bin/prog").string()); // relative to the config
  BOOST_TEST(c.benchmarks[0].command[1] == "1");
  BOOST_TEST(c.benchmarks[0].settings.timeout.count() == 300);
  BOOST_TEST(c.benchmarks[0].settings.thresholds.fail.at("instructions") == 10.0);
  BOOST_TEST(c.suites[0].binary == dir.path / "build/suite");
  BOOST_TEST(c.suites[0].settings.timeout.count() == 5);
  BOOST_TEST(c.valgrind.cache_sim);
  BOOST_TEST(c.valgrind.ll == "8388608,16,64");
}

BOOST_AUTO_TEST_CASE(benchmark_thresholds_override_defaults_metric_by_metric) {
  TempDir dir;
  auto file = dir.write("ci-bench.toml",
                        "[thresholds]\nfail = { instructions = \"3%\", l1_hits = \"4%\" }\n"
                        "warn = { instructions = \"1%\" }\n" + std::string(kBench) +
                            "[benchmark.thresholds]\nfail = { instructions = \"0.5%\", estimated_cycles = \"5%\" }\n"
                            "warn = { instructions = \"off\" }\n");
  auto t = load_config(file).benchmarks[0].settings.thresholds;
  BOOST_TEST(t.fail.at("instructions") == 0.5);
  BOOST_TEST(t.fail.at("l1_hits") == 4.0);
  BOOST_TEST(t.fail.at("estimated_cycles") == 5.0);
  BOOST_TEST(t.warn.count("instructions") == 0u);
}

BOOST_AUTO_TEST_CASE(commands_without_a_slash_are_found_on_path) {
  TempDir dir;
  auto file = dir.write("ci-bench.toml", "[[benchmark]]\nname = \"t\"\ncommand = [\"true\"]\n");
  auto program = load_config(file).benchmarks[0].command[0];
  BOOST_TEST(std::filesystem::path(program).is_absolute());
  BOOST_TEST(std::filesystem::path(program).filename() == "true");
}

BOOST_AUTO_TEST_CASE(errors_name_the_line_and_key) {
  BOOST_TEST(error_of(std::string(kBench) + "timout = 5\n").find("4: unknown key 'timout' in [[benchmark]]") == 0u);
  BOOST_TEST(error_of("[thresholds]\nfail = { instructions = \"10\" }\n" + std::string(kBench))
                 .find("2: thresholds.fail.instructions: '10' is not a percentage") == 0u);
  BOOST_TEST(error_of("[thresholds]\nfail = { cycles = \"1%\" }\n" + std::string(kBench))
                 .find("2: unknown metric 'cycles'") == 0u);
  BOOST_TEST(error_of("[[benchmark]]\nname = \"b\"\n").find("benchmark 'b' needs a 'command'") != std::string::npos);
  BOOST_TEST(error_of("[[benchmark]]\ncommand = [\"x\"]\n").find("needs a non-empty 'name'") != std::string::npos);
  BOOST_TEST(error_of("[[benchmark]]\nname = \"b\"\ncommand = []\n").find("3: 'command' must be a non-empty array") == 0u);
  BOOST_TEST(error_of("[[benchmark]]\nname = \"b\"\ncommand = [1]\n").find("3: 'command' must be a string") == 0u);
  BOOST_TEST(error_of(std::string(kBench) + "timeout = -1\n").find("4: 'timeout' must be") == 0u);
  BOOST_TEST(error_of("[valgrind]\nLL = \"big\"\n" + std::string(kBench)).find("2: 'LL' must be \"size,associativity") == 0u);
  BOOST_TEST(error_of("baseline_dir = \"b\"\n").find("no [[benchmark]] or [[suite]]") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(toml_syntax_errors_name_the_line) {
  BOOST_TEST(error_of(std::string(kBench) + "name = = 3\n").find("4:") == 0u);
}

BOOST_AUTO_TEST_CASE(a_missing_file_says_how_to_name_one) {
  try {
    load_config("/nonexistent/ci-bench.toml");
    BOOST_FAIL("no error");
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()).find("--config") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()

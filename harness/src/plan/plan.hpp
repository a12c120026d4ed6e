#pragma once
// Stage 1, plan: the benchmarks to measure, from the config. Plain commands as they are; suites
// expanded by asking each program for --list.
#include "config/config.hpp"
#include "util/error.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <regex>
#include <vector>

namespace cibench {

struct BenchmarkPlan {
  enum class Kind {
    command,         // a plain program: the whole process is measured
    suite_benchmark, // one benchmark of a suite: only its body is measured (suite_protocol)
    artifact,        // a built file: its size, measured without running it (`program` is the file)
  };
  std::string name;
  Kind kind = Kind::command;
  std::filesystem::path program;      // resolved
  std::vector<std::string> arguments; // a command's arguments after the program
  RunSettings settings;
  std::string source;                   // where it was declared, for messages
  std::optional<Failure> setup_failure; // cannot be measured (its suite failed to --list)

  bool has_region() const { return kind == Kind::suite_benchmark; }
};

// Throws Error(config) when two benchmarks share a name or a name is unusable (empty, control
// characters, over 200 bytes). A suite that cannot list its benchmarks becomes one plan entry
// with a setup_failure, so that the rest still run.
std::vector<BenchmarkPlan> make_plan(const Config& config);

// What `run` measures: the plan narrowed by --filter, less the wall_clock_only benchmarks.
struct Selection {
  std::vector<std::string> all;        // every benchmark of the config, filtered or not
  std::vector<BenchmarkPlan> measured; // in config order
  std::vector<std::string> skipped;    // wall_clock_only, left to `ci-bench time`
};

// Throws Error(config) for a bad --filter, a filter that leaves nothing, a [[compare]] naming no
// benchmark, or a threshold on a cache metric while cache_sim is off.
Selection select_benchmarks(const Config& config, const std::string& filter);

// --filter's regular expression (ECMAScript, searched); none for "". Throws Error(config) when invalid.
std::optional<std::regex> compile_filter(const std::string& filter);

} // namespace cibench

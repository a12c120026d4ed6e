#pragma once
// ci-bench.toml, read into plain values. Relative paths are resolved against the config's folder.
#include "config/threshold.hpp"
#include "exec/suite_protocol.hpp"
#include "valgrind/valgrind.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

// What benchmarks and suites share: a timeout, thresholds and extra environment.
struct RunSettings {
  // Empty: the default for the kind of benchmark (plan.cpp): Cachegrind for a whole program,
  // Callgrind for a suite's region, which it counts exactly in one run.
  std::string tool;
  std::chrono::seconds timeout{300};
  Thresholds thresholds;
  Environment env; // added to the otherwise empty environment of the workload
  // Measured by wall-clock mode only: `ci-bench run` lists it as skipped. For work that counts
  // cannot judge (parallelism) or that is too slow under Valgrind.
  bool wall_clock_only = false;
  // `heap = true`: one more run, under DHAT, for the heap metrics (metrics_of(MetricSource::dhat)).
  bool heap = false;
  // A plain [[benchmark]] is measured across the processes it starts (Valgrind's
  // --trace-children=yes). `trace_children = false` counts the top process only, as the config
  // says so explicitly; a suite's region is always one process.
  bool trace_children = true;
  // A suite's benchmarks under Callgrind share one Valgrind start: the program starts once and
  // forks a child per benchmark (serve_run.hpp). `fork = false` starts one process per benchmark.
  bool fork = true;
  // `inputs`: files or folders of the repository (absolute, resolved against the config's folder),
  // copied into the sandbox under their own names, so that the command names them by a path that
  // is the same in every checkout ("data.txt", not "/home/me/src/project/bench/data.txt").
  std::vector<std::filesystem::path> inputs;
};

struct BenchmarkConfig {
  std::string name;
  std::vector<std::string> command; // command[0] resolved: a path if it has a '/', else PATH
  RunSettings settings;
  std::string where; // "file:line" of its table, for messages
};

struct SuiteConfig {
  std::filesystem::path binary;
  RunSettings settings;
  // [suite.benchmark."NAME"]: settings of one benchmark of the suite, on top of the suite's.
  std::map<std::string, RunSettings> overrides;
  std::string where;
};

// [[artifact]]: a built file whose size is gated (metrics_of(MetricSource::elf)), measured without running it.
struct ArtifactConfig {
  std::string name;
  std::filesystem::path path; // resolved against the config's folder
  Thresholds thresholds;
  std::string where;
};

// [[compare]]: the ratio candidate / baseline of every metric, printed and recorded.
struct Comparison {
  std::string name;
  std::string baseline;
  std::string candidate;
  std::string where;
};

// [report]: how this project reproduces the gate, for the PR comment and the driver's hints.
struct ReportSettings {
  std::string reproduce; // the whole gate, built and measured, e.g. "make bench-gate"; empty: none given
  std::string driver = "ci-bench"; // how the driver is typed here, e.g. "build/bin/ci-bench"

  // What reproduces the whole gate: `reproduce`, else "<driver> run".
  std::string gate_command() const { return reproduce.empty() ? driver + " run" : reproduce; }
  // Appended to "build it first": " (`make bench-gate` builds and measures)", or nothing.
  std::string build_hint() const { return reproduce.empty() ? "" : " (`" + reproduce + "` builds and measures)"; }
};

// [drift]: how history flags a slow rise (see docs/history-and-board.md).
struct DriftSettings {
  std::string branch = "main"; // the branch whose points form the window
  int window = 20;             // points
  double threshold_pct = 5;    // a rise past it over the window is a drift
};

struct Config {
  std::filesystem::path file;
  std::optional<std::filesystem::path> history; // `history = "FILE"`: every run recorded there
  DriftSettings drift;
  Thresholds default_thresholds; // the top level's: the warn levels drift is told against
  std::filesystem::path baseline_dir;
  ValgrindSettings valgrind;
  // `incomparable = "warn"`: a baseline from another toolchain is reported, not fatal. The default,
  // "fail", makes CI refresh baselines in the pull request that changes its toolchain.
  bool allow_incomparable = false;
  ReportSettings report;
  std::vector<BenchmarkConfig> benchmarks;
  std::vector<SuiteConfig> suites;
  std::vector<ArtifactConfig> artifacts;
  std::vector<Comparison> comparisons;
};

// Throws Error naming the file, line and key at fault.
Config load_config(const std::filesystem::path& file);

// The program a command names: relative to `base` when it contains a '/', else found on PATH.
std::filesystem::path resolve_program(const std::string& name, const std::filesystem::path& base);

} // namespace cibench

#pragma once
// `ci-bench run`: plan -> measure -> judge -> (update baselines) -> report.
#include <filesystem>
#include <optional>
#include <string>

namespace cibench {

struct RunOptions {
  std::filesystem::path config = "ci-bench.toml";
  unsigned jobs = 0; // 0: one per core
  std::string filter;
  std::filesystem::path out = "build/ci-bench";
  bool update_baselines = false;
  bool allow_incomparable = false; // baselines from another toolchain warn instead of failing
  std::filesystem::path history; // record the run there (else the config's `history`, if any)
  std::string tool; // one Valgrind tool for every benchmark; empty: as the config says
  std::optional<std::string> shard; // "K/N": measure only that part; none: everything (an empty one is an error)
  bool verify = false;   // measure each benchmark twice; every event must repeat
  bool no_reuse = false; // measure even what the content fingerprint says cannot have changed
  // `ci-bench explain`: a flame graph for every benchmark measured, and where its instructions go
  // printed after the summary (report/explanation.hpp).
  bool explain = false;
};

// `ci-bench explain NAME`: the one benchmark named NAME (exactly) measured again, never reused.
int explain_benchmark(RunOptions options, const std::string& name);

// Returns the exit status: 0 no failure, 1 a regression past its fail threshold, 2 an error.
// Throws Error for what stops the whole run (bad config, no valgrind).
int run_benchmarks(const RunOptions& options);

} // namespace cibench

#pragma once
// `ci-bench history`: read, import into and publish the history file (see docs/history-and-board.md).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace cibench {

struct HistoryOptions {
  std::filesystem::path config = "ci-bench.toml";
  std::filesystem::path history;  // else the config's `history`
  // show
  bool json = false;
  std::string filter;
  std::string metric = "instructions";
  int last = 0;                   // 0: the config's drift window
  std::string branch;             // "": the config's drift branch
  bool all_branches = false;
  // import
  std::vector<std::filesystem::path> files;
  std::string commit;             // for results.json without a "commit"
  // board
  std::filesystem::path out;
  bool metric_given = false;      // --metric given: the board's tiles lead with it, not each one's main metric
  std::string commit_url;         // "": GitHub's, from GITHUB_SERVER_URL and GITHUB_REPOSITORY when set
};

// Adds `history` and its subcommands to `app`; returns the `history` subcommand.
CLI::App* add_history_command(CLI::App& app, HistoryOptions& options);

// Runs the subcommand that was parsed. Returns the exit status; throws Error.
int run_history_command(CLI::App& history, const HistoryOptions& options);

} // namespace cibench

#pragma once
// Where a judged run goes: each place is a Reporter, and `run` and `merge` hand their run to the
// same list (standard_reporters), so that both say the same thing in the same order: the verdict
// on the terminal first (a full or read-only --out must never hide it), then results.json.
// The PR comment and the page are rendered from results.json by tools/report.py, in the job that
// holds a write token, never by code a pull request built (docs/architecture.md, "Who renders").
#include "judge/run_result.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace cibench {

class Reporter {
public:
  virtual ~Reporter() = default;
  virtual void report(const RunResult& run) = 0;
};

// The terminal summary (terminal_report.hpp), in colour when `out` is a terminal and NO_COLOR is unset.
std::unique_ptr<Reporter> terminal_reporter(std::FILE* out);
// results.json at `file`, then "results: FILE NOTE" on stdout.
std::unique_ptr<Reporter> results_json_reporter(std::filesystem::path file, std::string note = "");

// The terminal, then results.json: what `run` and `merge` report to.
std::vector<std::unique_ptr<Reporter>> standard_reporters(const std::filesystem::path& results_file,
                                                          const std::string& note = "");
void publish(const RunResult& run, const std::vector<std::unique_ptr<Reporter>>& reporters);

} // namespace cibench

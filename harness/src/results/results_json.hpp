#pragma once
// results.json: the machine-readable record of a run, and the one typed model of it. Its schema is
// harness/schema/results.schema.json, versioned by the "schema" field. This file writes a RunResult
// and reads one back (results_reader.cpp): what `run` writes, `merge`, `diff` and `history import`
// read, and a file read and written again is the same file (tests/unit/results/).
#include "judge/run_result.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace cibench {

inline constexpr int kResultsSchema = 1;
// The longest benchmark name a results.json read back may hold, in bytes: nobody names a benchmark
// so, and std::regex (--filter) recurses per character, so a fork's 30,000-character name would
// overflow the stack of `history show`.
inline constexpr size_t kLongestBenchmarkName = 1000;

nlohmann::json results_document(const RunResult& run);
void write_results_json(const RunResult& run, const std::filesystem::path& file);

// The fields of a benchmark's entry that its verdict decides: "status", "change_pct", "metric_status".
nlohmann::json verdict_json(const Verdict& verdict);

// The results.json of a run that stopped before judging (a bad config, a tool missing, a full
// disk, a signal): no benchmarks, `error`, exit code 2 (128 + the signal, and "interrupted", when
// `interrupted_by`). Never throws: it is written while handling a failure.
void write_unfinished_results_json(const std::string& error, const std::filesystem::path& file,
                                   int interrupted_by) noexcept;

// A results.json read back, typed. A finished run's file gives `run`; an unfinished one (no
// benchmarks, "error") gives `unfinished_error` and a run with no benchmarks.
struct ResultsFile {
  RunResult run;
  int exit_code = 0;                 // as the file says (a run read back computes its own: run.exit_code())
  std::string unfinished_error;
};

// Throws Error(parse) naming `source` and the JSON path of the first field that is missing or of
// the wrong type, a count that is not an integer (or negative where no count can be), an unknown
// status or error kind.
ResultsFile results_of_document(const nlohmann::json& document, const std::string& source);
ResultsFile read_results_json(const std::filesystem::path& file);

} // namespace cibench

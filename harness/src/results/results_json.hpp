#pragma once
// results.json: the machine-readable record of a run. Its schema is harness/schema/results.schema.json,
// versioned by the "schema" field; this file writes it and reads it back, typed.
#include "config/config.hpp"
#include "judge/allocation_sites.hpp"
#include "judge/run_result.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

inline constexpr int kResultsSchema = 1;

// `report` gives "reproduce": {"command", "driver"}: what the PR comment tells a reader to type.
void write_results_json(const RunResult& run, const std::filesystem::path& file, const ReportSettings& report = {});

// The same, in two steps, for `merge`, which keeps the shards' benchmark entries but their verdicts.
nlohmann::json results_document(const RunResult& run, const ReportSettings& report = {});
void write_results_document(const nlohmann::json& document, const std::filesystem::path& file);

// The fields of a benchmark's entry that its verdict decides: "status", "change_pct", "metric_status".
nlohmann::json verdict_json(const Verdict& verdict);

// The results.json of a run that stopped before judging (a bad config, a tool missing, a full
// disk, a signal): no benchmarks, `error`, exit code 2 (128 + the signal, and "interrupted", when
// `interrupted_by`). Never throws: it is written while handling a failure.
void write_unfinished_results_json(const std::string& error, const std::filesystem::path& file,
                                   int interrupted_by) noexcept;

// What a reader of results.json (diff, later merge) gets back.
struct ResultsEntry {
  std::string name;
  std::string status;
  std::map<std::string, std::int64_t> metrics;
  std::optional<std::map<std::string, std::int64_t>> baseline;
  std::map<std::string, std::int64_t> functions;
  AllocationSites allocation_sites;   // heap = true
  std::optional<std::string> error;
  std::optional<std::string> error_kind;
};

struct ResultsFile {
  int schema = kResultsSchema;
  int exit_code = 0;
  std::vector<ResultsEntry> benchmarks;
};

// Throws Error(parse) naming the file and the JSON path of the first field of the wrong type.
ResultsFile read_results_json(const std::filesystem::path& file);

} // namespace cibench

#pragma once
// `ci-bench run --history FILE`: the judged run recorded as a point, and the drifts the history
// shows with this run as its newest point.
#include "config/config.hpp"
#include "history/point.hpp"
#include "history/sqlite_db.hpp"
#include "judge/run_result.hpp"

#include <filesystem>
#include <optional>

namespace cibench {

// The file --history names, else the config's `history`, else none.
std::optional<std::filesystem::path> history_file(const std::filesystem::path& option, const Config& config);

HistoryPoint point_of_run(const RunResult& run, const std::string& config_name);

// Records `run` when a history file is set and fills run.drifts. An interrupted run is not
// recorded: cut short, it would replace its commit's point with part of one. A run with failed
// benchmarks is: each benchmark carries its status, and errors have no counts.
void record_in_history(RunResult& run, const Config& config, const std::filesystem::path& option);

// The drifts of `benchmarks` over the window of `settings.branch`, with `newest` (this run's id)
// appended as the newest point when it is not on that branch.
std::vector<Drift> drifts_in_window(Database& db, const Config& config, std::int64_t newest);

} // namespace cibench

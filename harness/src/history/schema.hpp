#pragma once
// The history file's schema, versioned by PRAGMA user_version. Opening a file runs the migrations
// from its version up to kHistorySchema, each in one transaction; a file written by a newer
// ci-bench is refused and left as it is.
#include "history/sqlite_db.hpp"

#include <filesystem>
#include <memory>

namespace cibench {

//   1  runs (commit, branch, time recorded, config, toolchain), results (status), metrics
//   2  runs gain parent, commit time and source; functions (top self costs); an index for time order
//   3  benchmark and metric names kept once, rows keyed by numbers (WITHOUT ROWID), every table
//      of a run deleted with it; allocation_sites (heap = true); the view metric_values
inline constexpr int kHistorySchema = 3;

// Recording creates a missing file; reading one (show, board) refuses it, so that a mistyped name
// is reported rather than shown as an empty history and left behind as a new file.
enum class IfMissing { create, refuse };

// Opens the history file and brings its schema to kHistorySchema. Throws Error(config) when it is
// missing and `if_missing` refuses, or when a newer ci-bench wrote it; Error(io) when it is not an
// SQLite file.
std::unique_ptr<Database> open_history(const std::filesystem::path& file, IfMissing if_missing);

// Runs the migrations from the file's version up to `target` (tests build old files with it).
void migrate_history(Database& db, int target);

} // namespace cibench

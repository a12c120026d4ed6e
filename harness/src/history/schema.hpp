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
//   4  points ordered by recording (runs.sequence), not by claimed commit time; a commit recorded
//      on two branches is two points (UNIQUE commit, config, branch)
inline constexpr int kHistorySchema = 4;

// record: the file is created when missing and written. read (show, board): a missing file is an
// error, so that a mistyped name is reported rather than shown as an empty history and left behind;
// a file of the current schema is opened read-only (a read-only file, or one another ci-bench is
// writing, can be read); an older one is migrated first, which writes.
enum class HistoryUse { record, read };

// Opens the history file at kHistorySchema. Throws Error(config) when it is missing and only to be
// read, when a newer ci-bench wrote it, or when it is an SQLite file of something else (left
// untouched); Error(io) when it is not an SQLite file.
std::unique_ptr<Database> open_history(const std::filesystem::path& file, HistoryUse use);

// Runs the migrations from the file's version up to `target` (tests build old files with it).
void migrate_history(Database& db, int target);

} // namespace cibench

#include "history/schema.hpp"

#include <fmt/format.h>

namespace cibench {
namespace {

// migrations[i] takes a file from version i to version i + 1. Never edit a shipped step: add one.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  commit_sha TEXT,                      -- NULL when the run was not in a git checkout
  branch TEXT NOT NULL DEFAULT '',
  recorded_at INTEGER NOT NULL,         -- Unix seconds
  config TEXT NOT NULL,                 -- the config file's name relative to the repository
  toolchain TEXT NOT NULL DEFAULT '{}', -- JSON, as results.json's "fingerprint"
  UNIQUE(commit_sha, config));
CREATE TABLE results(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  benchmark TEXT NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY(run_id, benchmark));
CREATE TABLE metrics(
  run_id INTEGER NOT NULL,
  benchmark TEXT NOT NULL,
  metric TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY(run_id, benchmark, metric),
  FOREIGN KEY(run_id, benchmark) REFERENCES results(run_id, benchmark) ON DELETE CASCADE);
)sql",
    R"sql(
ALTER TABLE runs ADD COLUMN parent_sha TEXT;
ALTER TABLE runs ADD COLUMN commit_time INTEGER; -- Unix seconds of the commit: the order of points
ALTER TABLE runs ADD COLUMN source TEXT NOT NULL DEFAULT 'run'; -- run, results.json or git
UPDATE runs SET commit_time = recorded_at WHERE commit_time IS NULL;
CREATE INDEX runs_in_order ON runs(branch, commit_time, id);
CREATE TABLE functions(
  run_id INTEGER NOT NULL,
  benchmark TEXT NOT NULL,
  function TEXT NOT NULL,
  instructions INTEGER NOT NULL,
  PRIMARY KEY(run_id, benchmark, function),
  FOREIGN KEY(run_id, benchmark) REFERENCES results(run_id, benchmark) ON DELETE CASCADE);
)sql",
    // Metrics and functions keyed by their primary key alone (WITHOUT ROWID): a window is read from
    // the key's own b-tree, not from an index and then the table, and the file holds no second copy
    // of every name. Allocation sites (heap = true): bytes allocated and live at the peak.
    R"sql(
CREATE TABLE metrics_by_key(
  run_id INTEGER NOT NULL,
  benchmark TEXT NOT NULL,
  metric TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY(run_id, benchmark, metric),
  FOREIGN KEY(run_id, benchmark) REFERENCES results(run_id, benchmark) ON DELETE CASCADE) WITHOUT ROWID;
INSERT INTO metrics_by_key SELECT run_id, benchmark, metric, value FROM metrics;
DROP TABLE metrics;
ALTER TABLE metrics_by_key RENAME TO metrics;
CREATE TABLE functions_by_key(
  run_id INTEGER NOT NULL,
  benchmark TEXT NOT NULL,
  function TEXT NOT NULL,
  instructions INTEGER NOT NULL,
  PRIMARY KEY(run_id, benchmark, function),
  FOREIGN KEY(run_id, benchmark) REFERENCES results(run_id, benchmark) ON DELETE CASCADE) WITHOUT ROWID;
INSERT INTO functions_by_key SELECT run_id, benchmark, function, instructions FROM functions;
DROP TABLE functions;
ALTER TABLE functions_by_key RENAME TO functions;
CREATE TABLE allocation_sites(
  run_id INTEGER NOT NULL,
  benchmark TEXT NOT NULL,
  site TEXT NOT NULL,                   -- "function (file)", up to three frames, as results.json names it
  total_bytes INTEGER NOT NULL,
  peak_bytes INTEGER NOT NULL,
  PRIMARY KEY(run_id, benchmark, site),
  FOREIGN KEY(run_id, benchmark) REFERENCES results(run_id, benchmark) ON DELETE CASCADE) WITHOUT ROWID;
)sql",
};
static_assert(std::size(kMigrations) == kHistorySchema);

int checked_version(Database& db) {
  const int version = db.user_version();
  if (version > kHistorySchema)
    throw Error(ErrorKind::config,
                fmt::format("history {}: written by a newer ci-bench (schema {}; this one knows up to {}): left "
                            "untouched; use that ci-bench or a copy of the file from before",
                            db.file().string(), version, kHistorySchema));
  return version;
}

} // namespace

void migrate_history(Database& db, int target) {
  WriteTransaction transaction(db);
  // Read inside the write lock: two ci-bench opening a new file at once migrate it once.
  for (int version = checked_version(db); version < target; ++version) {
    db.execute(kMigrations[version]);
    db.set_user_version(version + 1);
  }
  transaction.commit();
}

std::unique_ptr<Database> open_history(const std::filesystem::path& file) {
  const auto folder = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  if (!std::filesystem::is_directory(folder))
    throw Error(ErrorKind::config, fmt::format("history {}: its folder {} does not exist", file.string(), folder.string()));
  auto db = std::make_unique<Database>(file, true);
  const int version = checked_version(*db); // before anything writes to it
  db->execute("PRAGMA journal_mode = WAL");
  migrate_history(*db, kHistorySchema);
  // Schema 3 rebuilt the two biggest tables: their old pages are free, but the file keeps them
  // until it is vacuumed (a history of 1,000 points of 100 benchmarks: 264 MB, then 96 MB).
  if (version > 0 && version < 3) db->execute("VACUUM");
  return db;
}

} // namespace cibench

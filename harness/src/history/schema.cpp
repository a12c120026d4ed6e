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
    // Names kept once (benchmarks, metric_names) and rows keyed by numbers, in tables that are their
    // primary key (WITHOUT ROWID): a window is one range of one b-tree per run, metric first so
    // that one metric's values are a range too. Every table of a run goes with it (ON DELETE
    // CASCADE from runs). Allocation sites (heap = true): bytes allocated and live at the peak.
    // metric_values shows the metrics with their names, for people reading the file with sqlite3.
    R"sql(
CREATE TABLE benchmarks(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE metric_names(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO benchmarks(name) SELECT DISTINCT benchmark FROM results ORDER BY benchmark;
INSERT INTO metric_names(name) SELECT DISTINCT metric FROM metrics ORDER BY metric;
CREATE TABLE results_by_id(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  benchmark_id INTEGER NOT NULL REFERENCES benchmarks(id),
  status TEXT NOT NULL,
  PRIMARY KEY(run_id, benchmark_id)) WITHOUT ROWID;
INSERT INTO results_by_id SELECT r.run_id, b.id, r.status FROM results r JOIN benchmarks b ON b.name = r.benchmark;
CREATE TABLE metrics_by_id(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  metric_id INTEGER NOT NULL REFERENCES metric_names(id),
  benchmark_id INTEGER NOT NULL REFERENCES benchmarks(id),
  value INTEGER NOT NULL,
  PRIMARY KEY(run_id, metric_id, benchmark_id)) WITHOUT ROWID;
INSERT INTO metrics_by_id SELECT m.run_id, n.id, b.id, m.value FROM metrics m
  JOIN metric_names n ON n.name = m.metric JOIN benchmarks b ON b.name = m.benchmark;
CREATE TABLE functions_by_id(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  benchmark_id INTEGER NOT NULL REFERENCES benchmarks(id),
  function TEXT NOT NULL,
  instructions INTEGER NOT NULL,
  PRIMARY KEY(run_id, benchmark_id, function)) WITHOUT ROWID;
INSERT INTO functions_by_id SELECT f.run_id, b.id, f.function, f.instructions FROM functions f
  JOIN benchmarks b ON b.name = f.benchmark;
CREATE TABLE allocation_sites(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  benchmark_id INTEGER NOT NULL REFERENCES benchmarks(id),
  site TEXT NOT NULL,                   -- "function (file)", up to three frames, as results.json names it
  total_bytes INTEGER NOT NULL,
  peak_bytes INTEGER NOT NULL,
  PRIMARY KEY(run_id, benchmark_id, site)) WITHOUT ROWID;
DROP TABLE metrics;   -- the children of results first: dropping results would delete their rows
DROP TABLE functions;
DROP TABLE results;
ALTER TABLE results_by_id RENAME TO results;
ALTER TABLE metrics_by_id RENAME TO metrics;
ALTER TABLE functions_by_id RENAME TO functions;
CREATE VIEW metric_values AS
  SELECT m.run_id, b.name AS benchmark, n.name AS metric, m.value FROM metrics m
  JOIN benchmarks b ON b.id = m.benchmark_id JOIN metric_names n ON n.id = m.metric_id;
)sql",
    // Points in the order they were recorded (sequence), never by the time a commit claims; a
    // replaced point takes its predecessor's place. A point replaces only one of its own branch:
    // the same commit recorded on two branches is two points. runs is rebuilt for its new UNIQUE
    // (SQLite cannot change a constraint in place), with foreign keys off (migrate_history) so that
    // dropping the old table deletes none of its points' rows. Earlier points keep their ids' order,
    // which is the order they were recorded in.
    R"sql(
CREATE TABLE runs_v4(
  id INTEGER PRIMARY KEY,
  commit_sha TEXT,                      -- NULL when the run was not in a git checkout
  parent_sha TEXT,
  branch TEXT NOT NULL DEFAULT '',
  sequence INTEGER NOT NULL,            -- the order of the history: recording order
  commit_time INTEGER,                  -- Unix seconds the commit claims: shown, never sorted on
  recorded_at INTEGER NOT NULL,         -- Unix seconds
  config TEXT NOT NULL,                 -- the config file's name relative to the repository
  toolchain TEXT NOT NULL DEFAULT '{}', -- JSON, as results.json's "fingerprint"
  source TEXT NOT NULL DEFAULT 'run',   -- run, results.json or git
  UNIQUE(commit_sha, config, branch));
INSERT INTO runs_v4(id, commit_sha, parent_sha, branch, sequence, commit_time, recorded_at, config, toolchain, source)
  SELECT id, commit_sha, parent_sha, branch, id, commit_time, recorded_at, config, toolchain, source FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v4 RENAME TO runs;
CREATE INDEX runs_in_order ON runs(branch, sequence, id);
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

void run_migrations(Database& db, int target) {
  WriteTransaction transaction(db);
  // Read inside the write lock: two ci-bench opening a new file at once migrate it once.
  for (int version = checked_version(db); version < target; ++version) {
    db.execute(kMigrations[version]);
    db.set_user_version(version + 1);
  }
  // What foreign keys would have checked, checked once: every row still belongs to a point.
  Statement orphans(db, "PRAGMA foreign_key_check");
  if (orphans.step())
    throw Error(ErrorKind::io, fmt::format("history {}: migrating left a row of table {} without its point; the file "
                                           "is left as it was", db.file().string(), orphans.text(0)));
  transaction.commit();
}

} // namespace

// Foreign keys off while migrating: a step that rebuilds a table drops the old one, and with them
// on, that DROP would cascade into every row referring to it. The pragma has no effect inside a
// transaction, hence set around run_migrations' one, and on again whatever happens.
void migrate_history(Database& db, int target) {
  db.execute("PRAGMA foreign_keys = OFF");
  try {
    run_migrations(db, target);
  } catch (...) {
    db.execute("PRAGMA foreign_keys = ON");
    throw;
  }
  db.execute("PRAGMA foreign_keys = ON");
}

std::unique_ptr<Database> open_history(const std::filesystem::path& file, HistoryUse use) {
  const auto folder = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  if (!std::filesystem::is_directory(folder))
    throw Error(ErrorKind::config, fmt::format("history {}: its folder {} does not exist", file.string(), folder.string()));
  int version = 0;
  if (std::filesystem::exists(file)) {
    auto db = std::make_unique<Database>(file, OpenMode::read_only);
    version = checked_version(*db);
    Statement tables(*db, "SELECT count(*) FROM sqlite_master");
    tables.step();
    // Version 0 with tables: some other program's database, which ci-bench must not write into.
    if (version == 0 && tables.integer(0) > 0)
      throw Error(ErrorKind::config, fmt::format("history {}: an SQLite file of something else (tables, but no ci-bench "
                                                 "schema): left untouched; name a new file for the history",
                                                 file.string()));
    if (use == HistoryUse::read && version == 0)
      throw Error(ErrorKind::config, fmt::format("history {0}: empty, no run recorded yet; record into it with "
                                                 "`ci-bench run --history {0}` or `ci-bench history import-git`",
                                                 file.string()));
    if (use == HistoryUse::read && version == kHistorySchema) return db;
  } else if (use == HistoryUse::read) {
    throw Error(ErrorKind::config,
                fmt::format("history {}: no such file; record runs into it with `ci-bench run --history {}` or "
                            "`ci-bench history import-git`",
                            file.string(), file.string()));
  }
  auto db = std::make_unique<Database>(file, OpenMode::create);
  db->execute("PRAGMA journal_mode = WAL");
  migrate_history(*db, kHistorySchema);
  // Schema 3 rebuilt the tables of every point: their old pages are free, but the file keeps
  // them until it is vacuumed.
  if (version > 0 && version < 3) db->execute("VACUUM");
  return db;
}

} // namespace cibench

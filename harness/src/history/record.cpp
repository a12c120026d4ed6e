#include "history/record.hpp"

#include <map>

namespace cibench {
namespace {

// The id of a name in `table` (benchmarks or metric_names), added when it is new.
class NameIds {
public:
  NameIds(Database& db, const std::string& table)
      : db_(db), add_(db, "INSERT OR IGNORE INTO " + table + "(name) VALUES(?1)"), find_(db, "SELECT id FROM " + table + " WHERE name = ?1") {}

  std::int64_t operator()(const std::string& name) {
    auto it = known_.find(name);
    if (it != known_.end()) return it->second;
    add_.bind(1, name).run();
    find_.bind(1, name);
    if (!find_.step()) db_.fail("reading back a name just written");
    const std::int64_t id = find_.integer(0);
    find_.reset();
    return known_.emplace(name, id).first->second;
  }

private:
  Database& db_;
  Statement add_, find_;
  std::map<std::string, std::int64_t, std::less<>> known_;
};

} // namespace

std::int64_t record_point(Database& db, const HistoryPoint& point, std::optional<std::int64_t> before) {
  WriteTransaction transaction(db);
  // The point's place: `before`, else the one it replaces (same commit, config and branch; never
  // another branch's), else after every point recorded so far. Read and written under the write
  // lock, so two writers cannot take one place.
  Statement place(db, "SELECT coalesce((SELECT sequence FROM runs WHERE commit_sha = ?1 AND config = ?2 AND branch = ?3), "
                      "(SELECT coalesce(max(sequence), 0) + 1 FROM runs))");
  place.bind_optional(1, point.commit.sha).bind(2, point.config).bind(3, point.commit.branch);
  place.step();
  const std::int64_t sequence = before.value_or(place.integer(0));
  place.reset();
  if (point.commit.sha) {
    Statement replace(db, "DELETE FROM runs WHERE commit_sha = ?1 AND config = ?2 AND branch = ?3"); // its rows go with it
    replace.bind(1, *point.commit.sha).bind(2, point.config).bind(3, point.commit.branch).run();
  }
  if (before) Statement(db, "UPDATE runs SET sequence = sequence + 1 WHERE sequence >= ?1").bind(1, *before).run();
  Statement run(db, "INSERT INTO runs(commit_sha, parent_sha, branch, sequence, commit_time, recorded_at, config, toolchain, "
                    "source) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  run.bind_optional(1, point.commit.sha).bind(2, point.commit.parent).bind(3, point.commit.branch).bind(4, sequence);
  run.bind(5, point.commit.time).bind(6, point.recorded_at).bind(7, point.config);
  run.bind(8, point.toolchain.empty() ? std::string_view("{}") : std::string_view(point.toolchain));
  run.bind(9, point.source).run();
  const std::int64_t run_id = db.last_insert_id();

  NameIds benchmark_id(db, "benchmarks"), metric_id(db, "metric_names");
  Statement result(db, "INSERT INTO results(run_id, benchmark_id, status) VALUES(?1, ?2, ?3)");
  Statement metric(db, "INSERT INTO metrics(run_id, metric_id, benchmark_id, value) VALUES(?1, ?2, ?3, ?4)");
  Statement function(db, "INSERT INTO functions(run_id, benchmark_id, function, instructions) VALUES(?1, ?2, ?3, ?4)");
  Statement site(db, "INSERT INTO allocation_sites(run_id, benchmark_id, site, total_bytes, peak_bytes) "
                     "VALUES(?1, ?2, ?3, ?4, ?5)");
  for (auto& b : point.benchmarks) {
    const std::int64_t id = benchmark_id(b.name);
    result.bind(1, run_id).bind(2, id).bind(3, b.status).run();
    for (auto& [name, value] : b.metrics) metric.bind(1, run_id).bind(2, metric_id(name)).bind(3, id).bind(4, value).run();
    for (auto& [name, value] : b.functions) function.bind(1, run_id).bind(2, id).bind(3, name).bind(4, value).run();
    for (auto& [name, bytes] : b.allocation_sites)
      site.bind(1, run_id).bind(2, id).bind(3, name).bind(4, bytes.total_bytes).bind(5, bytes.peak_bytes).run();
  }
  transaction.commit();
  return run_id;
}

} // namespace cibench

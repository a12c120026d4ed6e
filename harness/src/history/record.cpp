#include "history/record.hpp"

namespace cibench {

std::int64_t record_point(Database& db, const HistoryPoint& point) {
  WriteTransaction transaction(db);
  if (point.commit.sha) {
    Statement replace(db, "DELETE FROM runs WHERE commit_sha = ?1 AND config = ?2");
    replace.bind(1, *point.commit.sha).bind(2, point.config).run();
  }
  Statement run(db, "INSERT INTO runs(commit_sha, parent_sha, branch, commit_time, recorded_at, config, toolchain, source) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  run.bind_optional(1, point.commit.sha).bind(2, point.commit.parent).bind(3, point.commit.branch);
  run.bind(4, point.commit.time).bind(5, point.recorded_at).bind(6, point.config);
  run.bind(7, point.toolchain.empty() ? std::string_view("{}") : std::string_view(point.toolchain));
  run.bind(8, point.source).run();
  const std::int64_t run_id = db.last_insert_id();

  Statement result(db, "INSERT INTO results(run_id, benchmark, status) VALUES(?1, ?2, ?3)");
  Statement metric(db, "INSERT INTO metrics(run_id, benchmark, metric, value) VALUES(?1, ?2, ?3, ?4)");
  Statement function(db, "INSERT INTO functions(run_id, benchmark, function, instructions) VALUES(?1, ?2, ?3, ?4)");
  Statement site(db, "INSERT INTO allocation_sites(run_id, benchmark, site, total_bytes, peak_bytes) VALUES(?1, ?2, ?3, ?4, ?5)");
  for (auto& b : point.benchmarks) {
    result.bind(1, run_id).bind(2, b.name).bind(3, b.status).run();
    for (auto& [name, value] : b.metrics) metric.bind(1, run_id).bind(2, b.name).bind(3, name).bind(4, value).run();
    for (auto& [name, value] : b.functions) function.bind(1, run_id).bind(2, b.name).bind(3, name).bind(4, value).run();
    for (auto& [name, bytes] : b.allocation_sites)
      site.bind(1, run_id).bind(2, b.name).bind(3, name).bind(4, bytes.total_bytes).bind(5, bytes.peak_bytes).run();
  }
  transaction.commit();
  return run_id;
}

} // namespace cibench

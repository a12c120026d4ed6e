#include "history/query.hpp"

#include <algorithm>

namespace cibench {

HistoryWindow read_window(Database& db, const WindowQuery& query) {
  HistoryWindow window;
  Statement runs(db, "SELECT id, coalesce(commit_sha, ''), coalesce(parent_sha, ''), branch, commit_time, source FROM runs "
                     "WHERE CASE WHEN ?3 IS NULL THEN ?1 = '' OR branch = ?1 ELSE id = ?3 END "
                     "ORDER BY commit_time DESC, id DESC LIMIT ?2");
  runs.bind(1, query.branch).bind(2, std::int64_t(std::max(query.last, 0)));
  if (query.run) runs.bind(3, *query.run);
  while (runs.step())
    window.runs.push_back({runs.integer(0), runs.text(1), runs.text(2), runs.text(3), runs.integer(4), runs.text(5)});
  std::reverse(window.runs.begin(), window.runs.end());

  std::map<std::string, BenchmarkHistory> by_name;
  std::map<std::string, bool, std::less<>> decided; // std::regex is slow: once per name, not per row
  const auto wanted = [&](const std::string& name) {
    auto it = decided.find(name);
    if (it == decided.end()) it = decided.emplace(name, !query.filter || std::regex_search(name, *query.filter)).first;
    return it->second;
  };
  const auto entry = [&](const std::string& name) -> BenchmarkHistory& {
    auto& b = by_name[name];
    if (b.name.empty()) {
      b.name = name;
      b.status.resize(window.runs.size());
    }
    return b;
  };
  Statement statuses(db, "SELECT benchmark, status FROM results WHERE run_id = ?1");
  Statement values(db, "SELECT benchmark, metric, value FROM metrics WHERE run_id = ?1 AND (?2 = '' OR metric = ?2)");
  for (size_t i = 0; i < window.runs.size(); ++i) {
    statuses.bind(1, window.runs[i].id);
    while (statuses.step())
      if (auto name = statuses.text(0); wanted(name)) entry(name).status[i] = statuses.text(1);
    statuses.reset();
    values.bind(1, window.runs[i].id).bind(2, query.metric);
    while (values.step()) {
      auto name = values.text(0);
      if (!wanted(name)) continue;
      auto& column = entry(name).metrics[values.text(1)];
      column.resize(window.runs.size());
      column[i] = values.integer(2);
    }
    values.reset();
  }
  for (auto& [name, b] : by_name) window.benchmarks.push_back(std::move(b));
  return window;
}

std::map<std::string, int> branch_counts(Database& db) {
  std::map<std::string, int> counts;
  Statement s(db, "SELECT branch, count(*) FROM runs GROUP BY branch");
  while (s.step()) counts[s.text(0)] = static_cast<int>(s.integer(1));
  return counts;
}

} // namespace cibench

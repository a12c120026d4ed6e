#include "history/query.hpp"

#include <algorithm>
#include <unordered_map>

namespace cibench {
namespace {

// The window's runs, last recorded first (never by the time a commit claims): ?1 the branch ('' every branch), ?2 how many, ?3 one run's id.
constexpr const char* kWindowRuns = "SELECT id, coalesce(commit_sha, ''), coalesce(parent_sha, ''), branch, commit_time, "
                                    "source FROM runs WHERE CASE WHEN ?3 IS NULL THEN ?1 = '' OR branch = ?1 ELSE id = ?3 END "
                                    "ORDER BY sequence DESC, id DESC LIMIT ?2";

// Every name the file knows, by id: benchmarks (those the filter keeps) and metrics. A few
// thousand rows at most, read once, so that the window's rows carry numbers only.
struct Names {
  std::vector<std::optional<size_t>> benchmark; // id -> index into the window's candidates
  std::vector<std::string> metric;              // id -> name
};

template <typename Put>
void read_names(Database& db, const char* sql, Put put) {
  Statement s(db, sql);
  while (s.step())
    if (const std::int64_t id = s.integer(0); id >= 0 && id < (std::int64_t{1} << 31)) put(static_cast<size_t>(id), s.text(1));
}

} // namespace

HistoryWindow read_window(Database& db, const WindowQuery& query) {
  HistoryWindow window;
  const auto bind_window = [&](Statement& s) {
    s.bind(1, query.branch).bind(2, std::int64_t(std::max(query.last, 0)));
    if (query.run) s.bind(3, *query.run);
  };
  Statement runs(db, kWindowRuns);
  bind_window(runs);
  while (runs.step())
    window.runs.push_back({runs.integer(0), runs.text(1), runs.text(2), runs.text(3), runs.integer(4), runs.text(5)});
  std::reverse(window.runs.begin(), window.runs.end());
  std::unordered_map<std::int64_t, size_t> slot; // run id -> its place in the window
  for (size_t i = 0; i < window.runs.size(); ++i) slot[window.runs[i].id] = i;

  Names names;
  std::vector<BenchmarkHistory> candidates;
  read_names(db, "SELECT id, name FROM benchmarks", [&](size_t id, std::string name) {
    if (query.filter && !std::regex_search(name, *query.filter)) return;
    if (names.benchmark.size() <= id) names.benchmark.resize(id + 1);
    names.benchmark[id] = candidates.size();
    candidates.push_back({.name = std::move(name), .status = {}, .metrics = {}}); // status: once it is in the window
  });
  read_names(db, "SELECT id, name FROM metric_names", [&](size_t id, std::string name) {
    if (names.metric.size() <= id) names.metric.resize(id + 1);
    names.metric[id] = std::move(name);
  });
  const auto candidate = [&](std::int64_t id) -> BenchmarkHistory* {
    if (id < 0 || static_cast<size_t>(id) >= names.benchmark.size() || !names.benchmark[id]) return nullptr;
    return &candidates[*names.benchmark[id]];
  };
  // A run's rows come together: its place is looked up when the run changes, not per row.
  std::int64_t run_id = -1;
  size_t at = 0;
  const auto place_of = [&](std::int64_t id) {
    if (id != run_id) at = slot.at(run_id = id);
    return at;
  };

  // One statement per table for the whole window; CROSS JOIN keeps the window's runs the outer
  // loop, so each run's rows are one range of the table's key (of one metric's, when asked for one).
  const std::string with_window = std::string("WITH w AS (") + kWindowRuns + ") ";
  std::vector<bool> seen(candidates.size());
  Statement statuses(db, with_window + "SELECT r.run_id, r.benchmark_id, r.status FROM w CROSS JOIN results r ON r.run_id = w.id");
  bind_window(statuses);
  while (statuses.step())
    if (auto* b = candidate(statuses.integer(1))) {
      if (b->status.empty()) b->status.resize(window.runs.size());
      b->status[place_of(statuses.integer(0))] = statuses.text(2);
      seen[static_cast<size_t>(b - candidates.data())] = true;
    }

  std::optional<std::int64_t> only; // the one metric asked for
  if (!query.metric.empty()) {
    const auto it = std::find(names.metric.begin(), names.metric.end(), query.metric);
    only = it == names.metric.end() ? -1 : it - names.metric.begin();
  }
  // Per candidate, its columns by metric id, made when its first value comes.
  std::vector<std::vector<Column>> columns(candidates.size());
  Statement values(db, with_window + "SELECT m.run_id, m.metric_id, m.benchmark_id, m.value FROM w CROSS JOIN metrics m "
                                     "ON m.run_id = w.id" + (only ? " AND m.metric_id = ?4" : ""));
  bind_window(values);
  if (only) values.bind(4, *only);
  while (values.step()) {
    const std::int64_t metric = values.integer(1);
    auto* b = candidate(values.integer(2));
    if (!b || !seen[static_cast<size_t>(b - candidates.data())] || metric < 0 || static_cast<size_t>(metric) >= names.metric.size())
      continue;
    auto& by_metric = columns[static_cast<size_t>(b - candidates.data())];
    if (by_metric.size() <= static_cast<size_t>(metric)) by_metric.resize(static_cast<size_t>(metric) + 1);
    Column& column = by_metric[static_cast<size_t>(metric)];
    if (column.empty()) column.resize(window.runs.size());
    column[place_of(values.integer(0))] = values.integer(3);
  }

  for (size_t k = 0; k < candidates.size(); ++k) {
    if (!seen[k]) continue;
    for (size_t m = 0; m < columns[k].size(); ++m)
      if (!columns[k][m].empty()) candidates[k].metrics.emplace(names.metric[m], std::move(columns[k][m]));
    window.benchmarks.push_back(std::move(candidates[k]));
  }
  std::sort(window.benchmarks.begin(), window.benchmarks.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return window;
}

PointCosts costs_at(Database& db, std::int64_t run_id, const std::string& benchmark) {
  PointCosts costs;
  Statement functions(db, "SELECT f.function, f.instructions FROM functions f JOIN benchmarks b ON b.id = f.benchmark_id "
                          "WHERE f.run_id = ?1 AND b.name = ?2");
  functions.bind(1, run_id).bind(2, benchmark);
  while (functions.step()) costs.functions[functions.text(0)] = functions.integer(1);
  Statement sites(db, "SELECT s.site, s.total_bytes, s.peak_bytes FROM allocation_sites s JOIN benchmarks b ON b.id = "
                      "s.benchmark_id WHERE s.run_id = ?1 AND b.name = ?2");
  sites.bind(1, run_id).bind(2, benchmark);
  while (sites.step()) costs.allocation_sites[sites.text(0)] = {.total_bytes = sites.integer(1), .peak_bytes = sites.integer(2)};
  return costs;
}

std::map<std::string, int> branch_counts(Database& db) {
  std::map<std::string, int> counts;
  Statement s(db, "SELECT branch, count(*) FROM runs GROUP BY branch");
  while (s.step()) counts[s.text(0)] = static_cast<int>(s.integer(1));
  return counts;
}

} // namespace cibench

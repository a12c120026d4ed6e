#include "history/query.hpp"

#include <algorithm>
#include <unordered_map>

namespace cibench {
namespace {

// The window's runs, newest first: ?1 the branch ('' every branch), ?2 how many, ?3 one run's id.
constexpr const char* kWindowRuns = "SELECT id, coalesce(commit_sha, ''), coalesce(parent_sha, ''), branch, commit_time, "
                                    "source FROM runs WHERE CASE WHEN ?3 IS NULL THEN ?1 = '' OR branch = ?1 ELSE id = ?3 END "
                                    "ORDER BY commit_time DESC, id DESC LIMIT ?2";

// The benchmarks met while reading a window, each looked up once per name: rows of one run come in
// key order, so consecutive rows mostly name the same benchmark, and the filter (std::regex is
// slow) runs once per name rather than per row.
class Benchmarks {
public:
  Benchmarks(const WindowQuery& query, size_t runs) : query_(query), runs_(runs) {}

  // nullptr when the filter leaves the benchmark out.
  BenchmarkHistory* find(std::string_view name) {
    if (last_ != by_name_.end() && last_->first == name) return entry(last_);
    last_ = by_name_.find(name);
    if (last_ == by_name_.end()) {
      last_ = by_name_.emplace(std::string(name), std::nullopt).first;
      if (!query_.filter || std::regex_search(name.begin(), name.end(), *query_.filter)) {
        last_->second.emplace();
        last_->second->name = name;
        last_->second->status.resize(runs_);
      }
    }
    return entry(last_);
  }

  std::vector<BenchmarkHistory> take() {
    std::vector<BenchmarkHistory> all;
    for (auto& [name, b] : by_name_)
      if (b) all.push_back(std::move(*b));
    return all;
  }

private:
  using Map = std::map<std::string, std::optional<BenchmarkHistory>, std::less<>>; // none: filtered out
  static BenchmarkHistory* entry(Map::iterator it) { return it->second ? &*it->second : nullptr; }

  const WindowQuery& query_;
  size_t runs_;
  Map by_name_; // by name: the window's order
  Map::iterator last_ = by_name_.end();
};

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

  // One statement per table for the whole window; CROSS JOIN keeps the window's runs the outer
  // loop, so each run's rows are one range of the table's key.
  const std::string with_window = std::string("WITH w AS (") + kWindowRuns + ") ";
  Benchmarks benchmarks(query, window.runs.size());
  Statement statuses(db, with_window + "SELECT r.run_id, r.benchmark, r.status FROM w CROSS JOIN results r ON r.run_id = w.id");
  bind_window(statuses);
  // A run's rows come together: its place is looked up when the run changes, not per row.
  std::int64_t run_id = -1;
  size_t at = 0;
  const auto place_of = [&](std::int64_t id) {
    if (id != run_id) at = slot.at(run_id = id);
    return at;
  };
  while (statuses.step())
    if (auto* b = benchmarks.find(statuses.text_view(1))) b->status[place_of(statuses.integer(0))] = statuses.text(2);
  Statement values(db, with_window + "SELECT m.run_id, m.benchmark, m.metric, m.value FROM w CROSS JOIN metrics m "
                                     "ON m.run_id = w.id WHERE ?4 = '' OR m.metric = ?4");
  bind_window(values);
  values.bind(4, query.metric);
  // Each benchmark's metrics come in key order: the next row's metric is most often the one after
  // the last one found, so try that before searching.
  const BenchmarkHistory* last = nullptr;
  std::map<std::string, Column, std::less<>>::iterator next;
  while (values.step()) {
    auto* b = benchmarks.find(values.text_view(1));
    if (!b) continue;
    const std::string_view metric = values.text_view(2);
    auto column = b == last && next != b->metrics.end() && next->first == metric ? next : b->metrics.find(metric);
    if (column == b->metrics.end()) column = b->metrics.emplace(std::string(metric), Column(window.runs.size())).first;
    column->second[place_of(values.integer(0))] = values.integer(3);
    last = b;
    next = std::next(column);
  }
  window.benchmarks = benchmarks.take();
  return window;
}

PointCosts costs_at(Database& db, std::int64_t run_id, const std::string& benchmark) {
  PointCosts costs;
  Statement functions(db, "SELECT function, instructions FROM functions WHERE run_id = ?1 AND benchmark = ?2");
  functions.bind(1, run_id).bind(2, benchmark);
  while (functions.step()) costs.functions[functions.text(0)] = functions.integer(1);
  Statement sites(db, "SELECT site, total_bytes, peak_bytes FROM allocation_sites WHERE run_id = ?1 AND benchmark = ?2");
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

#include "history/run_recording.hpp"

#include "history/commit_info.hpp"
#include "history/query.hpp"
#include "history/record.hpp"
#include "history/schema.hpp"
#include "history/trend.hpp"
#include "judge/allocation_sites.hpp"
#include "judge/function_changes.hpp"

#include <chrono>
#include <fmt/format.h>

namespace cibench {
namespace fs = std::filesystem;

std::optional<fs::path> history_file(const fs::path& option, const Config& config) {
  if (!option.empty()) return option;
  return config.history;
}

HistoryPoint point_of_run(const RunResult& run, const std::string& config_name) {
  HistoryPoint point;
  point.commit = run.commit;
  point.config = config_name;
  point.source = "run";
  point.recorded_at = unix_seconds_now();
  point.toolchain = nlohmann::json(run.host).dump();
  for (auto& b : run.benchmarks) {
    BenchmarkPoint p{.name = b.name(), .status = std::string(to_string(b.verdict.status)), .metrics = {}, .functions = {},
                     .allocation_sites = {}};
    if (b.measurement.ok()) {
      for (auto& m : b.verdict.metrics) p.metrics[m.metric] = m.current;
      for (auto& [name, cost] : b.reported_functions) p.functions[name] = cost;
      p.allocation_sites = b.reported_allocation_sites;
    }
    point.benchmarks.push_back(std::move(p));
  }
  return point;
}

std::vector<Drift> drifts_in_window(Database& db, const Config& config, std::int64_t newest) {
  const auto& settings = config.drift;
  HistoryWindow window = read_window(db, {.branch = settings.branch, .last = settings.window, .filter = {}, .metric = "", .run = {}});
  const bool newest_in_window = !window.runs.empty() && window.runs.back().id == newest;
  HistoryWindow mine;
  if (!newest_in_window) {
    // A pull request's run: its point follows the branch's last ones.
    mine = read_window(db, {.branch = "", .last = 1, .filter = {}, .metric = "", .run = newest});
  }
  std::map<std::string, const BenchmarkHistory*> now;
  for (auto& b : (newest_in_window ? window : mine).benchmarks) now[b.name] = &b;

  std::vector<Drift> drifts;
  for (auto& [benchmark, current] : now) {
    const BenchmarkHistory* past = nullptr;
    for (auto& b : window.benchmarks)
      if (b.name == benchmark) past = &b;
    for (auto& [metric, warn] : config.default_thresholds.warn) {
      Column values;
      if (past && past->metrics.count(metric)) values = past->metrics.at(metric);
      if (!newest_in_window) {
        auto it = current->metrics.find(metric);
        values.push_back(it == current->metrics.end() ? std::nullopt : it->second.back());
        if (values.size() > static_cast<size_t>(settings.window)) values.erase(values.begin());
      }
      const Trend t = trend_of(values, {.drift_pct = settings.threshold_pct, .warn_pct = warn, .stable_pct = 1});
      if (!t.drifting) continue;
      drifts.push_back({.benchmark = benchmark, .metric = metric, .change_pct = *t.change_pct, .points = t.points,
                        .branch = settings.branch, .largest_step_pct = t.largest_step_pct, .warn_pct = warn,
                        .threshold_pct = settings.threshold_pct, .each_step_under_warn = t.each_step_under_warn});
    }
  }
  return drifts;
}

void record_in_history(RunResult& run, const Config& config, const fs::path& option) {
  const auto file = history_file(option, config);
  if (!file || run.interrupted_by) return; // a run cut short must not replace its commit's point
  auto db = open_history(*file, HistoryUse::record);
  const std::int64_t id = record_point(*db, point_of_run(run, name_in_repository(config.file)));
  run.drifts = drifts_in_window(*db, config, id);
}

} // namespace cibench

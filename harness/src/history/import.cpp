#include "history/import.hpp"

#include "history/commit_checks.hpp"
#include "history/commit_info.hpp"
#include "history/git.hpp"
#include "baseline/baseline.hpp"
#include "judge/gate.hpp"
#include "results/results_json.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>

namespace cibench {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The "commit" and "fingerprint" results.json carries beside its benchmarks. A run that did not
// finish is refused: recorded, it would replace its commit's point with nothing.
void read_run_fields(const fs::path& file, const ResultsFile& results, HistoryPoint& point) {
  if (!results.unfinished_error.empty() || results.run.interrupted_by)
    throw Error(ErrorKind::parse, fmt::format("{}: a run that did not finish: not recorded (it would replace its "
                                              "commit's point with nothing)",
                                              file.string()));
  point.toolchain = nlohmann::json(results.run.host).dump();
  const CommitInfo& c = results.run.commit;
  if (!c.sha && c.branch.empty()) return; // results.json has no "commit"
  const auto bad = [&](std::string_view why) {
    return Error(ErrorKind::parse, fmt::format("{}: not a ci-bench results.json: \"commit\": {}", file.string(), why));
  };
  point.commit = c;
  if (auto why = c.sha ? sha_problem(*c.sha) : std::nullopt) throw bad("\"sha\" " + *why);
  if (auto why = c.parent.empty() ? std::nullopt : sha_problem(c.parent)) throw bad("\"parent\" " + *why);
  if (auto why = time_problem(c.time)) throw bad("\"time\" " + *why);
}

} // namespace

HistoryPoint point_of_results_json(const fs::path& file, const std::string& config_name, const CommitInfo& otherwise) {
  const ResultsFile file_read = read_results_json(file);
  const RunResult& results = file_read.run;
  HistoryPoint point{.commit = otherwise, .config = config_name, .source = "results.json", .recorded_at = unix_seconds_now(),
                     .toolchain = "{}", .benchmarks = {}};
  read_run_fields(file, file_read, point);
  const auto bad = [&](const std::string& why) {
    return Error(ErrorKind::parse, fmt::format("{}: not a ci-bench results.json: {}", file.string(), why));
  };
  if (results.benchmarks.empty()) throw bad("no benchmarks: nothing to record");
  for (auto& e : results.benchmarks) {
    BenchmarkPoint b{.name = e.name(), .status = to_string(e.verdict.status), .metrics = {}, .functions = {}, .allocation_sites = {}};
    if (e.verdict.status != Status::error) {
      for (auto& m : e.verdict.metrics) b.metrics[m.metric] = m.current;
      b.functions = e.reported_functions;
      b.allocation_sites = e.reported_allocation_sites;
    }
    point.benchmarks.push_back(std::move(b));
  }
  return point;
}

std::vector<HistoryPoint> points_of_baseline_history(const fs::path& baseline_dir, const std::string& config_name,
                                                     const std::string& branch) {
  if (!fs::is_directory(baseline_dir))
    throw Error(ErrorKind::config, fmt::format("baseline folder {} does not exist", baseline_dir.string()));
  // A record per commit: \x1e, "sha parents", \x1f, the commit time, then its changed files.
  const std::string log = git_or_throw(
      baseline_dir, {"-c", "core.quotePath=false", "log", "--first-parent", "--reverse", "--no-renames",
                     "--format=%x1e%H %P%x1f%ct", "--name-status", "--relative", "--", "."});
  std::map<std::string, Baseline> held; // file name in the folder -> baseline
  std::vector<HistoryPoint> points;
  size_t at = 0;
  while ((at = log.find('\x1e', at)) != std::string::npos) {
    const size_t end = std::min(log.find('\x1e', at + 1), log.size());
    const std::string record = log.substr(at + 1, end - at - 1);
    at = end;
    std::istringstream lines(record);
    std::string header, line;
    std::getline(lines, header);
    const auto unit = header.find('\x1f');
    const std::string shas = header.substr(0, unit);
    HistoryPoint point{.commit = {.sha = shas.substr(0, shas.find(' ')), .parent = "", .branch = branch, .time = 0},
                       .config = config_name, .source = "git", .recorded_at = unix_seconds_now(), .toolchain = "{}", .benchmarks = {}};
    if (auto space = shas.find(' '); space != std::string::npos) {
      const std::string parents = shas.substr(space + 1);
      point.commit.parent = parents.substr(0, parents.find(' '));
    }
    point.commit.time = commit_time_of(unit == std::string::npos ? "" : header.substr(unit + 1), *point.commit.sha);
    while (std::getline(lines, line)) {
      if (line.empty()) continue;
      const auto tab = line.find('\t');
      if (tab == std::string::npos) continue;
      const std::string change = line.substr(0, tab), path = line.substr(tab + 1);
      if (path.find('/') != std::string::npos || !path.ends_with(".json")) continue; // baselines are directly in it
      if (change == "D") {
        held.erase(path);
        continue;
      }
      const std::string where = fmt::format("{} at {}", (baseline_dir / path).string(), *point.commit.sha);
      try {
        held[path] = parse_baseline(git_or_throw(baseline_dir, {"show", *point.commit.sha + ":./" + path}), where);
      } catch (const Error& e) {
        if (e.kind != ErrorKind::baseline) throw;
        held.erase(path); // not a baseline at that commit (a stray file): the point goes without it
        std::fprintf(stderr, "ci-bench: warning: %s\n", e.what());
      }
    }
    for (auto& [file, b] : held) {
      point.benchmarks.push_back({.name = b.benchmark, .status = "baseline", .metrics = b.metrics, .functions = b.functions,
                                  .allocation_sites = top_allocation_sites(b.allocation_sites_total, b.allocation_sites_peak)});
      if (point.toolchain == "{}") point.toolchain = json(b.toolchain).dump();
    }
    points.push_back(std::move(point));
  }
  return points;
}

} // namespace cibench

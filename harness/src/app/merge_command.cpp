#include "app/merge_command.hpp"

#include "judge/comparison.hpp"
#include "judge/judge.hpp"
#include "judge/run_result.hpp"
#include "measure/measurement.hpp"
#include "results/results_json.hpp"
#include "report/terminal_report.hpp"
#include "util/directory_lock.hpp"
#include "util/json_counts.hpp"
#include "util/utf8.hpp"
#include "exec/process.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <set>
#include <unistd.h>

namespace cibench {
namespace fs = std::filesystem;
using nlohmann::json;
namespace {

struct ShardFile {
  fs::path file;
  fs::path dir; // where its raw files are
  json doc;
};

Error bad(const ShardFile& s, const std::string& why) {
  return Error(ErrorKind::parse, fmt::format("{}: {}", s.file.string(), why));
}

// A shard as the command line names it: its --out folder, or its results.json.
fs::path results_file_of(const std::string& path) {
  return fs::is_directory(path) ? fs::path(path) / "results.json" : fs::path(path);
}

ShardFile read_shard(const std::string& path) {
  ShardFile s;
  s.file = results_file_of(path);
  s.dir = s.file.parent_path();
  std::ifstream in(s.file);
  if (!in) throw Error(ErrorKind::io, fmt::format("{}: cannot open (a shard's --out folder or its results.json)", s.file.string()));
  try {
    s.doc = json::parse(in);
  } catch (const json::exception& e) {
    throw bad(s, fmt::format("not JSON: {}", e.what()));
  }
  if (!s.doc.is_object() || s.doc.value("schema", json()) != json(kResultsSchema) || !s.doc.contains("benchmarks") ||
      !s.doc["benchmarks"].is_array())
    throw bad(s, fmt::format("not a ci-bench results.json of schema {}", kResultsSchema));
  if (s.doc.contains("error") && s.doc["error"].is_string())
    throw bad(s, fmt::format("this shard did not finish ({}): run it again", s.doc["error"].get<std::string>()));
  if (!s.doc.contains("shard") || !s.doc["shard"].is_object())
    throw bad(s, "not the result of `ci-bench run --shard K/N`");
  const json& shard = s.doc["shard"];
  if (!shard.value("index", json()).is_number_integer() || !shard.value("count", json()).is_number_integer() ||
      !shard.value("benchmarks", json()).is_array() || !shard.value("comparisons", json()).is_array())
    throw bad(s, "\"shard\" needs an integer index and count, and the lists benchmarks and comparisons");
  const json driver = s.doc.value("driver", json());
  if (!driver.is_object() || !driver.value("version", json()).is_string() || !driver.value("build", json()).is_string())
    throw bad(s, "it does not say which ci-bench build measured it (\"driver\": an older ci-bench?), and shards of "
                 "different driver builds cannot be merged: measure every shard again with one ci-bench");
  return s;
}

std::string text(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string{};
}

// The measured commit as results.json holds it ({"sha", "parent", "branch", "time"}).
CommitInfo commit_of(const json& doc) {
  CommitInfo c;
  const auto it = doc.find("commit");
  if (it == doc.end() || !it->is_object()) return c;
  if (!text(*it, "sha").empty()) c.sha = text(*it, "sha");
  c.parent = text(*it, "parent");
  c.branch = text(*it, "branch");
  if (auto t = it->find("time"); t != it->end() && t->is_number_integer()) c.time = t->get<std::int64_t>();
  return c;
}

// The shards must be parts of one run: the same commit, config, toolchain, benchmarks and mode.
void check_same_run(const std::vector<ShardFile>& shards) {
  const ShardFile& first = shards.front();
  const auto same = [&](const char* what, const auto& get) {
    for (auto& s : shards)
      if (get(s.doc) != get(first.doc))
        throw Error(ErrorKind::config, fmt::format("{} and {} are shards of different runs: their {} differ; merge "
                                                   "shards of one commit, measured with one config and toolchain",
                                                   first.file.string(), s.file.string(), what));
  };
  same("commits", [](const json& d) { return commit_of(d).sha.value_or(""); });
  same("configs (config_digest)", [](const json& d) { return text(d, "config_digest"); });
  same("toolchains (fingerprint)", [](const json& d) { return d.value("fingerprint", json()); });
  same("shard counts (N of --shard K/N)", [](const json& d) { return d["shard"]["count"]; });
  same("benchmark lists (--filter or the suites' --list)", [](const json& d) { return d["shard"]["benchmarks"]; });
  same("[[compare]] lists", [](const json& d) { return d["shard"]["comparisons"]; });
  same("modes (--update-baselines)", [](const json& d) { return d.value("updating_baselines", json()); });
  same("incomparable settings", [](const json& d) { return d.value("allow_incomparable", json()); });
  same("removed baselines", [](const json& d) { return d.value("gone", json()); });
  same("wall_clock_only lists", [](const json& d) { return d.value("skipped", json()); });
  same("reproduce commands", [](const json& d) { return d.value("reproduce", json()); });
  same("driver builds (the ci-bench that measured)", [](const json& d) { return d["driver"]; });
  same("--verify settings", [](const json& d) { return d.value("verified", json()); });
}

// Every shard 1..N exactly once.
void check_complete(const std::vector<ShardFile>& shards) {
  const int count = shards.front().doc["shard"]["count"].get<int>();
  std::map<int, const ShardFile*> seen;
  for (auto& s : shards) {
    const int index = s.doc["shard"]["index"].get<int>();
    if (index < 1 || index > count) throw bad(s, fmt::format("shard {}/{} is not a part of {}", index, count, count));
    auto [it, fresh] = seen.emplace(index, &s);
    if (!fresh)
      throw Error(ErrorKind::config, fmt::format("shard {}/{} is given twice: {} and {}", index, count,
                                                 it->second->file.string(), s.file.string()));
  }
  std::vector<std::string> missing;
  for (int k = 1; k <= count; ++k)
    if (!seen.count(k)) missing.push_back(fmt::format("{}/{}", k, count));
  if (!missing.empty())
    throw Error(ErrorKind::config, fmt::format("shard{} {} missing: merge all {} shards of the run",
                                               missing.size() > 1 ? "s" : "", fmt::join(missing, ", "), count));
}

template <typename T> std::optional<T> optional_value(const json& j, const std::string& key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<T>();
}

// A count of an entry ("metrics", "baseline", "budget"): an integer, never negative unless the
// metric can be (metrics.hpp).
std::int64_t count_in(const char* field, const std::string& metric, const json& value) {
  if (!is_count(value)) throw Error(ErrorKind::parse, fmt::format("{}.{} is not an integer count", field, metric));
  const auto n = value.get<std::int64_t>();
  if (n < 0 && !may_be_negative(metric))
    throw Error(ErrorKind::parse, fmt::format("{}.{} is {}: it cannot be negative", field, metric, n));
  return n;
}

// The thresholds that applied, as results.json keeps them beside the counts.
Thresholds thresholds_of(const json& entry) {
  Thresholds t;
  const json limits_of = entry.value("thresholds", json::object()), budgets = entry.value("budget", json::object());
  for (auto& [metric, limits] : limits_of.items()) {
    if (auto v = optional_value<double>(limits, "warn")) t.warn[metric] = *v;
    if (auto v = optional_value<double>(limits, "fail")) t.fail[metric] = *v;
    if (limits.contains("warn_bytes")) t.warn_bytes[metric] = count_in("thresholds.warn_bytes", metric, limits["warn_bytes"]);
    if (limits.contains("fail_bytes")) t.fail_bytes[metric] = count_in("thresholds.fail_bytes", metric, limits["fail_bytes"]);
  }
  for (auto& [metric, value] : budgets.items()) t.budget[metric] = count_in("budget", metric, value);
  return t;
}

// One entry of a shard's results.json, judged again from its counts, its baseline and its
// thresholds: its own "status" is a claim, which a hand-edited or corrupt file could make.
BenchmarkResult benchmark_result(const json& j) {
  BenchmarkResult r;
  r.measurement.name = j.at("name").get<std::string>();
  r.measurement.tool = j.value("tool", "");
  r.measurement.reused = j.value("reused", false);
  r.measurement.seconds = j.value("seconds", 0.0);
  Metrics current;
  for (auto& [metric, value] : j.at("metrics").items()) {
    current[metric] = count_in("metrics", metric, value);
    if (!is_derived_metric(metric)) r.measurement.events[metric] = current[metric];
  }
  if (const json baseline = j.value("baseline", json()); baseline.is_object()) {
    r.baseline = Baseline{};
    for (auto& [metric, value] : baseline.items()) r.baseline->metrics[metric] = count_in("baseline", metric, value);
  }
  if (j.contains("error")) {
    ErrorKind kind = ErrorKind::internal;
    if (j.contains("error_kind")) from_json(j["error_kind"], kind);
    r.failure = Failure{kind, j["error"].get<std::string>()};
    r.measurement.failure = r.failure;
  }
  r.toolchain_differences = j.value("fingerprint_differences", std::vector<std::string>{});
  r.unstable_events = j.value("unstable_events", std::vector<std::string>{});
  // What run says of how it counted: kept, so that a sharded gate says it too.
  r.measurement.floored_metrics = j.value("floored_metrics", std::vector<std::string>{});
  r.measurement.reuse_blocked = j.value("reuse_blocked", std::vector<std::string>{});
  r.measurement.uncounted_before_exec = j.value("uncounted_before_exec", std::vector<std::string>{});
  for (auto& p : j.value("processes", json::array())) {
    ProcessCount process{.command = p.at("command").get<std::string>(), .pid_order = p.at("pid_order").get<size_t>(), .events = {}};
    for (auto& [metric, value] : p.at("metrics").items())
      if (!is_derived_metric(metric)) process.events[metric] = count_in("processes.metrics", metric, value);
    r.measurement.processes.push_back(std::move(process));
  }
  r.verdict = judge_verdict(current, r.baseline ? &r.baseline->metrics : nullptr, r.toolchain_differences.empty(),
                            !r.unstable_events.empty(), r.failure.has_value(), thresholds_of(j));
  r.baseline_written = j.value("baseline_written", false);
  const auto changes_in = [&](const char* list, const char* name, std::vector<FunctionChange>& into,
                              std::optional<std::int64_t>& floor) {
    for (auto& c : j.value(list, json::array()))
      into.push_back({c.at(name).get<std::string>(), c.at("before").get<std::int64_t>(), c.at("after").get<std::int64_t>(),
                      c.value("before_at_most", false)});
    floor = optional_value<std::int64_t>(j, std::string(list) + "_floor");
  };
  changes_in("function_changes", "function", r.function_changes, r.function_changes_floor);
  changes_in("allocation_site_changes", "site", r.allocation_site_changes, r.allocation_site_changes_floor);
  changes_in("symbol_changes", "symbol", r.symbol_changes, r.symbol_changes_floor);
  r.allocation_site_metric = j.value("allocation_site_metric", std::string());
  return r;
}

// A shard's raw files (profiles, logs, output), copied beside the merged results.json.
void copy_raw_files(const ShardFile& s, const json& entry, const fs::path& out) {
  if (fs::equivalent(s.dir, out)) return;
  for (auto& name : entry.value("files", std::vector<std::string>{})) {
    const fs::path file = fs::path(name).filename(); // a name, never a path out of the folder
    std::error_code ec;
    if (fs::exists(s.dir / file, ec)) fs::copy_file(s.dir / file, out / file, fs::copy_options::overwrite_existing, ec);
    if (ec) throw Error(ErrorKind::io, fmt::format("cannot copy {} to {}: {}", (s.dir / file).string(), out.string(), ec.message()));
  }
}

int merge(const MergeOptions& options, const fs::path& out) {
  std::vector<ShardFile> shards;
  for (auto& path : options.inputs) shards.push_back(read_shard(path));
  check_same_run(shards);
  check_complete(shards);
  const json& whole = shards.front().doc["shard"];
  const auto names = whole["benchmarks"].get<std::vector<std::string>>();

  std::map<std::string, std::pair<const ShardFile*, const json*>> found;
  for (auto& s : shards)
    for (auto& entry : s.doc["benchmarks"]) {
      const std::string name = entry.value("name", "");
      auto [it, fresh] = found.try_emplace(name, &s, &entry);
      if (!fresh)
        throw Error(ErrorKind::config, fmt::format("benchmark '{}' is in two shards: {} and {}", name,
                                                   it->second.first->file.string(), s.file.string()));
      if (std::find(names.begin(), names.end(), name) == names.end())
        throw bad(s, fmt::format("benchmark '{}' is not in the run's list of benchmarks", name));
    }

  RunResult run;
  json entries = json::array();
  std::map<std::string, Metrics> measured;
  for (auto& name : names) {
    auto it = found.find(name);
    if (it == found.end())
      throw Error(ErrorKind::config, fmt::format("benchmark '{}' is in no shard's results: were the shards measured with "
                                                 "different baselines? (each shard splits the run by them)", name));
    auto [shard, entry] = it->second;
    try {
      run.benchmarks.push_back(benchmark_result(*entry));
    } catch (const std::exception& e) {
      throw bad(*shard, fmt::format("benchmark '{}': {}", name, e.what()));
    }
    const BenchmarkResult& judged = run.benchmarks.back();
    if (!judged.failure) measured[name] = with_derived(judged.measurement.events);
    copy_raw_files(*shard, *entry, out);
    entries.push_back(*entry);
    entries.back().update(verdict_json(judged.verdict));
    if (const std::string claimed = text(*entry, "status"); claimed != to_string(judged.verdict.status))
      fmt::print(stderr, "ci-bench: {}: benchmark '{}' says '{}', but its counts make it '{}': judged again\n",
                 shard->file.string(), printable_line(name, 200), printable_line(claimed, 40), to_string(judged.verdict.status));
  }
  std::vector<Comparison> declared;
  for (auto& c : whole["comparisons"])
    declared.push_back({c.value("name", ""), c.value("baseline", ""), c.value("candidate", ""), ""});
  run.comparisons = compare(declared, measured, names);

  const json& first = shards.front().doc;
  run.host = first.value("fingerprint", Toolchain{});
  run.updating_baselines = first.value("updating_baselines", false);
  run.allow_incomparable = first.value("allow_incomparable", false);
  run.gone = first.value("gone", std::vector<std::string>{});
  run.skipped = first.value("skipped", std::vector<std::string>{});
  run.commit = commit_of(first);
  run.config_digest = text(first, "config_digest");
  run.driver = {text(first["driver"], "version"), text(first["driver"], "build")};
  run.verified = first.value("verified", false);
  std::vector<std::string> history_errors;
  for (auto& s : shards) {
    run.seconds = std::max(run.seconds, s.doc.value("seconds", 0.0)); // the matrix takes its slowest job's time
    const int code = s.doc.value("exit_code", 0);
    if (s.doc.value("interrupted", false) && code > 128) run.interrupted_by = code - 128;
    if (const std::string error = text(s.doc, "history_error"); !error.empty())
      history_errors.push_back(fmt::format("{}: {}", s.file.string(), error));
  }
  run.history_error = fmt::format("{}", fmt::join(history_errors, "; "));

  const char* no_colour = std::getenv("NO_COLOR");
  print_summary(run, stdout, ::isatty(STDOUT_FILENO) && !(no_colour && *no_colour));
  std::fflush(stdout);
  json document = results_document(run);
  document["benchmarks"] = entries; // as the shards wrote them
  if (first.contains("reproduce")) document["reproduce"] = first["reproduce"]; // the config's, as every shard wrote it
  else document.erase("reproduce");
  write_results_document(document, out / "results.json");
  fmt::print("results: {} (merged from {} shards)\n", (out / "results.json").string(), shards.size());
  return run.exit_code();
}

} // namespace

int merge_results(const MergeOptions& options) {
  const fs::path out = fs::absolute(options.out);
  const fs::path results = out / "results.json";
  std::error_code ec;
  for (auto& path : options.inputs) // before anything is written there, failures included
    if (fs::equivalent(results_file_of(path), results, ec))
      throw Error(ErrorKind::config, fmt::format("--out {} holds shard {}: the merged results.json would replace the "
                                                 "shard's own results.json; merge into another folder",
                                                 options.out.string(), path));
  fs::create_directories(out, ec);
  if (ec) throw Error(ErrorKind::io, fmt::format("cannot create --out folder {}: {}", out.string(), ec.message()));
  DirectoryLock lock(out, "--out folder", interrupted);
  try {
    return merge(options, out);
  } catch (const std::exception& e) {
    write_unfinished_results_json(e.what(), results, interrupt_signal());
    throw;
  }
}

} // namespace cibench

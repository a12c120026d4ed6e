#include "app/merge_command.hpp"

#include "judge/comparison.hpp"
#include "judge/judge.hpp"
#include "judge/run_result.hpp"
#include "measure/measurement.hpp"
#include "results/results_json.hpp"
#include "report/reporter.hpp"
#include "util/directory_lock.hpp"
#include "util/utf8.hpp"
#include "exec/process.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <array>
#include <map>
#include <set>

namespace cibench {
namespace fs = std::filesystem;
using nlohmann::json;
namespace {

struct ShardFile {
  fs::path file;
  fs::path dir; // where its raw files are
  RunResult run;
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
  if (!fs::exists(s.file))
    throw Error(ErrorKind::io, fmt::format("{}: cannot open (a shard's --out folder or its results.json)", s.file.string()));
  ResultsFile results = read_results_json(s.file);
  if (!results.unfinished_error.empty())
    throw bad(s, fmt::format("this shard did not finish ({}): run it again", results.unfinished_error));
  s.run = std::move(results.run);
  if (!s.run.shard) throw bad(s, "not the result of `ci-bench run --shard K/N`");
  if (s.run.driver.version.empty() || s.run.driver.build.empty())
    throw bad(s, "it does not say which ci-bench build measured it (\"driver\": an older ci-bench?), and shards of "
                 "different driver builds cannot be merged: measure every shard again with one ci-bench");
  return s;
}

// The shards must be parts of one run: the same commit, config, toolchain, benchmarks and mode.
void check_same_run(const std::vector<ShardFile>& shards) {
  const ShardFile& first = shards.front();
  const auto same = [&](const char* what, const auto& get) {
    for (auto& s : shards)
      if (get(s.run) != get(first.run))
        throw Error(ErrorKind::config, fmt::format("{} and {} are shards of different runs: their {} differ; merge "
                                                   "shards of one commit, measured with one config and toolchain",
                                                   first.file.string(), s.file.string(), what));
  };
  const auto declared = [](const RunResult& r) {
    std::vector<std::array<std::string, 3>> out;
    for (auto& c : r.shard->comparisons) out.push_back({c.name, c.baseline, c.candidate});
    return out;
  };
  same("commits", [](const RunResult& r) { return r.commit.sha.value_or(""); });
  same("configs (config_digest)", [](const RunResult& r) { return r.config_digest; });
  same("toolchains (fingerprint)", [](const RunResult& r) { return json(r.host); });
  same("shard counts (N of --shard K/N)", [](const RunResult& r) { return r.shard->count; });
  same("benchmark lists (--filter or the suites' --list)", [](const RunResult& r) { return r.shard->benchmarks; });
  same("[[compare]] lists", declared);
  same("modes (--update-baselines)", [](const RunResult& r) { return r.updating_baselines; });
  same("incomparable settings", [](const RunResult& r) { return r.allow_incomparable; });
  same("removed baselines", [](const RunResult& r) { return r.gone; });
  same("wall_clock_only lists", [](const RunResult& r) { return r.skipped; });
  same("reproduce commands", [](const RunResult& r) { return std::pair(r.report.gate_command(), r.report.driver); });
  same("driver builds (the ci-bench that measured)", [](const RunResult& r) { return std::pair(r.driver.version, r.driver.build); });
  same("--verify settings", [](const RunResult& r) { return r.verified; });
}

// Every shard 1..N exactly once.
void check_complete(const std::vector<ShardFile>& shards) {
  const int count = shards.front().run.shard->count;
  std::map<int, const ShardFile*> seen;
  for (auto& s : shards) {
    const int index = s.run.shard->index;
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

// A shard's benchmark judged again from its counts, its baseline and the thresholds that applied:
// its own "status" is a claim, which a hand-edited or corrupt file could make.
Verdict judged_again(const BenchmarkResult& r) {
  Thresholds t;
  Metrics current;
  for (auto& m : r.verdict.metrics) {
    current[m.metric] = m.current;
    if (m.warn_limit) t.warn[m.metric] = *m.warn_limit;
    if (m.fail_limit) t.fail[m.metric] = *m.fail_limit;
    if (m.warn_bytes) t.warn_bytes[m.metric] = *m.warn_bytes;
    if (m.fail_bytes) t.fail_bytes[m.metric] = *m.fail_bytes;
    if (m.budget) t.budget[m.metric] = *m.budget;
  }
  return judge_verdict(current, r.baseline ? &r.baseline->metrics : nullptr, r.toolchain_differences.empty(),
                       !r.unstable_events.empty(), r.failure.has_value(), t);
}

// A shard's raw files (profiles, logs, output) and flame graph, copied beside the merged results.json.
void copy_raw_files(const ShardFile& s, const BenchmarkResult& entry, const fs::path& out) {
  if (fs::equivalent(s.dir, out)) return;
  std::vector<std::string> names = entry.measurement.files;
  if (!entry.flamegraph.empty()) names.push_back(entry.flamegraph);
  for (auto& name : names) {
    const fs::path file = fs::path(name).filename(); // a name, never a path out of the folder (the reader checked)
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(s.dir / file, ec);
    if (ec || !fs::exists(status)) continue;
    // Never through a link: a shard folder's link to /etc/passwd must not become a file of the result.
    if (!fs::is_regular_file(status))
      throw bad(s, fmt::format("{} is not a regular file (a link?): a shard's raw files are copied only as files",
                               (s.dir / file).string()));
    fs::copy_file(s.dir / file, out / file, fs::copy_options::overwrite_existing, ec);
    if (ec) throw Error(ErrorKind::io, fmt::format("cannot copy {} to {}: {}", (s.dir / file).string(), out.string(), ec.message()));
  }
}

int merge(const MergeOptions& options, const fs::path& out) {
  std::vector<ShardFile> shards;
  for (auto& path : options.inputs) shards.push_back(read_shard(path));
  check_same_run(shards);
  check_complete(shards);
  const RunResult& first = shards.front().run;
  const std::vector<std::string>& names = first.shard->benchmarks;

  std::map<std::string, std::pair<const ShardFile*, const BenchmarkResult*>> found;
  for (auto& s : shards)
    for (auto& entry : s.run.benchmarks) {
      auto [it, fresh] = found.try_emplace(entry.name(), &s, &entry);
      if (!fresh)
        throw Error(ErrorKind::config, fmt::format("benchmark '{}' is in two shards: {} and {}", printable_line(entry.name(), 200),
                                                   it->second.first->file.string(), s.file.string()));
      if (std::find(names.begin(), names.end(), entry.name()) == names.end())
        throw bad(s, fmt::format("benchmark '{}' is not in the run's list of benchmarks", printable_line(entry.name(), 200)));
    }

  // The merged run: the first shard's run-wide fields, every shard's benchmarks in plan order.
  RunResult run = first;
  run.benchmarks.clear();
  run.shard.reset();
  std::map<std::string, Metrics> measured;
  for (auto& name : names) {
    auto it = found.find(name);
    if (it == found.end())
      throw Error(ErrorKind::config, fmt::format("benchmark '{}' is in no shard's results: were the shards measured with "
                                                 "different baselines? (each shard splits the run by them)", name));
    auto [shard, entry] = it->second;
    BenchmarkResult judged = *entry;
    judged.verdict = judged_again(*entry);
    // A shard that contradicts itself was edited or corrupted: none of its verdicts can stand.
    if (judged.verdict.status != entry->verdict.status)
      throw bad(*shard, fmt::format("benchmark '{}' says '{}', but its counts, baseline and limits make it '{}': the "
                                    "file was edited or damaged; measure this shard again",
                                    printable_line(name, 200), to_string(entry->verdict.status), to_string(judged.verdict.status)));
    if (!judged.failure) measured[name] = with_derived(judged.measurement.events);
    copy_raw_files(*shard, judged, out);
    run.benchmarks.push_back(std::move(judged));
  }
  run.comparisons = compare(first.shard->comparisons, measured, names);
  run.seconds = 0;
  run.interrupted_by = 0;
  run.drifts.clear();
  std::vector<std::string> history_errors;
  for (auto& s : shards) {
    run.drifts.insert(run.drifts.end(), s.run.drifts.begin(), s.run.drifts.end()); // each found by its shard's recording
    run.seconds = std::max(run.seconds, s.run.seconds); // the matrix takes its slowest job's time
    if (s.run.interrupted_by) run.interrupted_by = s.run.interrupted_by;
    if (!s.run.history_error.empty()) history_errors.push_back(fmt::format("{}: {}", s.file.string(), s.run.history_error));
  }
  run.history_error = fmt::format("{}", fmt::join(history_errors, "; "));

  publish(run, standard_reporters(out / "results.json", fmt::format("(merged from {} shards)", shards.size())));
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

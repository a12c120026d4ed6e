// results.json read back into the RunResult that results_json.cpp writes, field for field: the
// file may come from a fork's run or a hand edit, so every field is checked and an error names
// its JSON path.
#include "results/results_json.hpp"
#include "results/json_fields.hpp"

#include "util/error.hpp"
#include "util/json_counts.hpp"
#include "util/json_without_duplicates.hpp"
#include "util/utf8.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <set>

namespace cibench {
using nlohmann::json;
namespace {

class Reader : public JsonFields {
public:
  using JsonFields::JsonFields;

  std::vector<FunctionChange> changes(const json& entry, const char* key, const char* name_key,
                                      const std::string& path) const {
    std::vector<FunctionChange> out;
    const json* v = find(entry, key);
    if (!v) return out;
    if (!v->is_array()) fail(join(path, key), "must be a list");
    for (size_t i = 0; i < v->size(); ++i) {
      const json& c = (*v)[i];
      const std::string at = fmt::format("{}.{}[{}]", path, key, i);
      if (!c.is_object()) fail(at, "must be an object");
      out.push_back({text(c, name_key, at, true), optional_count(c, "before", at).value_or(0),
                     optional_count(c, "after", at).value_or(0), flag(c, "before_at_most", at), texts(c, "inlined_into", at)});
    }
    return out;
  }

  LineReport line_report(const json& entry, const std::string& path) const {
    LineReport report;
    const auto line_number = [&](const json& v, const std::string& at) {
      const std::optional<std::int64_t> n = optional_count(v, "line", at);
      if (!n || *n < 1 || *n > UINT32_MAX) fail(at + ".line", "must be a line number");
      return static_cast<std::uint32_t>(*n);
    };
    if (const json* v = find(entry, "line_changes")) {
      if (!v->is_array()) fail(path + ".line_changes", "must be a list");
      for (size_t i = 0; i < v->size(); ++i) {
        const json& c = (*v)[i];
        const std::string at = fmt::format("{}.line_changes[{}]", path, i);
        if (!c.is_object()) fail(at, "must be an object");
        report.changes.push_back({.file = text(c, "file", at, true), .line = line_number(c, at), .gone = flag(c, "gone", at),
                                  .edited = flag(c, "edited", at), .before = optional_count(c, "before", at).value_or(0),
                                  .after = optional_count(c, "after", at).value_or(0),
                                  .before_at_most = flag(c, "before_at_most", at), .functions = texts(c, "functions", at),
                                  .source_function = text(c, "function", at)});
        if (flag(c, "inlined", at) != report.changes.back().inlined())
          fail(at + ".inlined", "must say whether function is none of functions");
      }
    }
    report.floor = optional_count(entry, "line_changes_floor", path);
    report.unavailable = text(entry, "lines_unavailable", path);
    if (const json* e = find(entry, "source_excerpt")) {
      const std::string at = path + ".source_excerpt";
      if (!e->is_object()) fail(at, "must be an object");
      const std::optional<std::int64_t> first = optional_count(*e, "first_line", at);
      if (!first || *first < 1 || *first > UINT32_MAX) fail(at + ".first_line", "must be a line number");
      report.excerpt = SourceExcerpt{.file = text(*e, "file", at, true), .line = line_number(*e, at),
                                     .first_line = static_cast<std::uint32_t>(*first), .lines = texts(*e, "lines", at)};
      const SourceExcerpt& x = *report.excerpt;
      if (x.lines.empty() || x.line < x.first_line || x.line - x.first_line >= x.lines.size())
        fail(at, "must hold its line among its lines");
    }
    return report;
  }

  // The verdict as written: a metric's status, change and limits beside its count.
  Verdict verdict(const json& entry, const std::string& path, const Metrics& current, const Metrics* baseline) const {
    Verdict v;
    const auto status = status_named(text(entry, "status", path, true));
    if (!status) fail(path + ".status", "is not a status");
    v.status = *status;
    const json none = json::object();
    const json* changes = find(entry, "change_pct");
    const json* statuses = find(entry, "metric_status");
    const json* limits = find(entry, "thresholds");
    const json* budgets = find(entry, "budget");
    for (auto& [metric, n] : current) {
      MetricVerdict m;
      m.metric = metric;
      m.current = n;
      if (baseline)
        if (auto it = baseline->find(metric); it != baseline->end()) m.baseline = it->second;
      if (changes && changes->contains(metric)) {
        const json& c = (*changes)[metric];
        if (!c.is_null() && !c.is_number()) fail(path + ".change_pct." + metric, "must be a number or null");
        // null is a change from 0 (results.json has no infinity): its sign is the count's
        m.change_pct = c.is_null() ? (n < 0 ? -1 : 1) * std::numeric_limits<double>::infinity() : c.get<double>();
      }
      if (statuses && statuses->contains(metric)) {
        const auto s = (*statuses)[metric].is_string() ? status_named((*statuses)[metric].get<std::string>()) : std::nullopt;
        if (!s) fail(path + ".metric_status." + metric, "is not a status");
        m.status = *s;
      }
      if (limits && limits->contains(metric)) {
        const json& l = (*limits)[metric];
        const std::string at = path + ".thresholds." + metric;
        if (!l.is_object()) fail(at, "must be an object");
        if (find(l, "warn")) m.warn_limit = number(l, "warn", at);
        if (find(l, "fail")) m.fail_limit = number(l, "fail", at);
        m.warn_bytes = optional_count(l, "warn_bytes", at);
        m.fail_bytes = optional_count(l, "fail_bytes", at);
      }
      if (budgets && budgets->contains(metric)) {
        m.budget = count((*budgets)[metric], path + ".budget." + metric);
        m.over_budget = m.current > *m.budget;
      }
      v.metrics.push_back(std::move(m));
    }
    return v;
  }

  BenchmarkResult benchmark(const json& entry, const std::string& path) const {
    if (!entry.is_object()) fail(path, "must be an object");
    BenchmarkResult r;
    Measurement& m = r.measurement;
    m.name = text(entry, "name", path, true);
    benchmark_ = m.name;
    m.tool = text(entry, "tool", path);
    m.toolchain.compiler = text(entry, "compiler", path);
    m.seconds = seconds(entry, path);
    m.files = texts(entry, "files", path);
    for (size_t i = 0; i < m.files.size(); ++i) // names in the --out folder, never a path out of it
      if (const std::string& f = m.files[i]; f.empty() || f == "." || f == ".." || f.find('/') != std::string::npos)
        fail(fmt::format("{}.files[{}]", path, i), "must be a file name in the --out folder");
    m.reused = flag(entry, "reused", path);
    m.content_fingerprint = text(entry, "content_fingerprint", path);
    m.uncounted_before_exec = texts(entry, "uncounted_before_exec", path);
    m.reuse_blocked = texts(entry, "reuse_blocked", path);
    m.floored_metrics = texts(entry, "floored_metrics", path);
    const Metrics current = counts(entry, "metrics", path, true);
    for (auto& [metric, n] : current)
      if (!is_derived_metric(metric)) m.events[metric] = n;
    // A derived metric is a formula of the events beside it: one that is not was edited. (Without
    // its events, as in a file another tool wrote with `instructions` alone, there is nothing to check.)
    const Metrics derived = with_derived(m.events);
    for (auto& [metric, n] : current)
      if (is_derived_metric(metric) && derived.count(metric) && derived.at(metric) != n)
        fail(fmt::format("{}.metrics.{}", path, metric), "does not follow from the events beside it: the file was edited or damaged; measure it again");
    if (find(entry, "baseline")) {
      object(entry, "baseline", path);
      r.baseline = Baseline{};
      r.baseline->metrics = counts(entry, "baseline", path, true);
    }
    if (const json* processes = find(entry, "processes")) {
      if (!processes->is_array()) fail(path + ".processes", "must be a list");
      for (size_t i = 0; i < processes->size(); ++i) {
        const json& p = (*processes)[i];
        const std::string at = fmt::format("{}.processes[{}]", path, i);
        if (!p.is_object() || !p.contains("pid_order") || !is_count(p["pid_order"]) || p["pid_order"].get<std::int64_t>() < 0)
          fail(at, "must hold a command, a pid_order and metrics");
        ProcessCount process{.command = text(p, "command", at, true), .pid_order = p["pid_order"].get<size_t>(), .events = {}};
        for (auto& [metric, n] : counts(p, "metrics", at, true))
          if (!is_derived_metric(metric)) process.events[metric] = n;
        m.processes.push_back(std::move(process));
      }
      // A plain benchmark's counted events are its processes' events added up (heap and size
      // figures come from other runs).
      Metrics sum, counted;
      for (auto& p : m.processes)
        for (auto& [event, n] : p.events) sum[event] += n;
      for (auto& [event, n] : m.events)
        if (is_counted_metric(event)) counted[event] = n;
      if (!m.processes.empty() && sum != counted) fail(path + ".processes", "do not add up to the benchmark's events: the file was edited or damaged; measure it again");
    }
    if (find(entry, "error")) {
      ErrorKind kind = ErrorKind::internal;
      if (const json* k = find(entry, "error_kind")) {
        try {
          from_json(*k, kind);
        } catch (const std::exception&) {
          fail(path + ".error_kind", "is not an error kind");
        }
      }
      r.failure = Failure{kind, text(entry, "error", path)};
      m.failure = r.failure;
    }
    r.toolchain_differences = texts(entry, "fingerprint_differences", path);
    r.unstable_events = texts(entry, "unstable_events", path);
    m.unstable_events = r.unstable_events;
    r.baseline_written = flag(entry, "baseline_written", path);
    r.verdict = verdict(entry, path, current, r.baseline ? &r.baseline->metrics : nullptr);
    r.reported_functions = counts(entry, "functions", path, false);
    r.reported_symbols = counts(entry, "symbols", path, false);
    if (const json* sites = find(entry, "allocation_sites")) {
      if (!sites->is_object()) fail(path + ".allocation_sites", "must be an object");
      for (auto& [site, bytes] : sites->items()) {
        const std::string at = path + ".allocation_sites." + site;
        if (!bytes.is_object() || !find(bytes, "total_bytes") || !find(bytes, "peak_bytes"))
          fail(at, "must hold integer counts \"total_bytes\" and \"peak_bytes\"");
        r.reported_allocation_sites[site] = {*optional_count(bytes, "total_bytes", at), *optional_count(bytes, "peak_bytes", at)};
      }
    }
    r.allocation_site_metric = text(entry, "allocation_site_metric", path);
    r.function_changes = changes(entry, "function_changes", "function", path);
    r.allocation_site_changes = changes(entry, "allocation_site_changes", "site", path);
    r.symbol_changes = changes(entry, "symbol_changes", "symbol", path);
    r.function_changes_floor = optional_count(entry, "function_changes_floor", path);
    r.lines = line_report(entry, path);
    r.flamegraph = text(entry, "flamegraph", path);
    if (r.flamegraph.find('/') != std::string::npos || r.flamegraph.starts_with("."))
      fail(path + ".flamegraph", "must be a file name in the results folder");
    r.allocation_site_changes_floor = optional_count(entry, "allocation_site_changes_floor", path);
    r.symbol_changes_floor = optional_count(entry, "symbol_changes_floor", path);
    benchmark_.clear();
    return r;
  }

  ComparisonResult comparison(const json& c, const std::string& path) const {
    if (!c.is_object()) fail(path, "must be an object");
    ComparisonResult out{.declared = {text(c, "name", path, true), text(c, "baseline", path), text(c, "candidate", path), ""},
                         .ratio = {}, .error = text(c, "error", path)};
    if (const json* ratio = find(c, "ratio")) {
      if (!ratio->is_object()) fail(path + ".ratio", "must be an object");
      for (auto& [metric, r] : ratio->items()) {
        if (!r.is_null() && !r.is_number()) fail(path + ".ratio." + metric, "must be a number or null");
        out.ratio[metric] = r.is_null() ? std::numeric_limits<double>::quiet_NaN() : r.get<double>();
      }
    }
    return out;
  }

  Drift drift(const json& d, const std::string& path) const {
    if (!d.is_object()) fail(path, "must be an object");
    const json* points = find(d, "points");
    if (points && (!points->is_number_integer() || points->get<std::int64_t>() < 0 || points->get<std::int64_t>() > 1'000'000))
      fail(path + ".points", "must be a whole number of points");
    return {.benchmark = text(d, "benchmark", path, true), .metric = text(d, "metric", path, true),
            .change_pct = number(d, "change_pct", path), .points = points ? points->get<int>() : 0,
            .branch = text(d, "branch", path), .largest_step_pct = number(d, "largest_step_pct", path),
            .warn_pct = number(d, "warn_pct", path), .threshold_pct = number(d, "threshold_pct", path),
            .each_step_under_warn = !find(d, "each_step_under_warn") || flag(d, "each_step_under_warn", path)};
  }

  void metadata(const json& doc, RunResult& run) const {
    if (const json* host = find(doc, "fingerprint")) {
      try {
        run.host = host->get<Toolchain>();
      } catch (const json::exception&) {
        fail("fingerprint", "must be an object of strings");
      }
    }
    if (const json* commit = find(doc, "commit")) {
      if (!commit->is_object()) fail("commit", "must be an object");
      if (const std::string sha = text(*commit, "sha", "commit"); !sha.empty()) run.commit.sha = sha;
      run.commit.parent = text(*commit, "parent", "commit");
      run.commit.branch = text(*commit, "branch", "commit");
      if (const json* t = find(*commit, "time")) {
        if (!t->is_number_integer()) fail("commit.time", "must be an integer");
        run.commit.time = t->get<std::int64_t>();
      }
    }
    run.config_digest = text(doc, "config_digest", "");
    if (const json* driver = find(doc, "driver")) {
      if (!driver->is_object()) fail("driver", "must be an object");
      run.driver = {text(*driver, "version", "driver"), text(*driver, "build", "driver")};
    }
    if (const json* reproduce = find(doc, "reproduce")) {
      if (!reproduce->is_object()) fail("reproduce", "must be an object");
      run.report.reproduce = text(*reproduce, "command", "reproduce");
      run.report.driver = text(*reproduce, "driver", "reproduce");
    }
    if (const json* shard = find(doc, "shard")) {
      if (!shard->is_object() || !find(*shard, "index") || !(*shard)["index"].is_number_integer() ||
          !find(*shard, "count") || !(*shard)["count"].is_number_integer())
        fail("shard", "needs an integer index and count, and the lists benchmarks and comparisons");
      ShardOfRun s{.index = (*shard)["index"].get<int>(), .count = (*shard)["count"].get<int>(),
                   .benchmarks = texts(*shard, "benchmarks", "shard"), .comparisons = {}};
      if (const json* declared = find(*shard, "comparisons"); declared && declared->is_array())
        for (size_t i = 0; i < declared->size(); ++i) {
          const std::string at = fmt::format("shard.comparisons[{}]", i);
          if (!(*declared)[i].is_object()) fail(at, "must be an object");
          s.comparisons.push_back({text((*declared)[i], "name", at, true), text((*declared)[i], "baseline", at),
                                   text((*declared)[i], "candidate", at), ""});
        }
      run.shard = std::move(s);
    }
  }

  ResultsFile document(const json& doc) const {
    if (!doc.is_object()) fail("the top", "must be an object");
    const json* schema = find(doc, "schema");
    if (!schema || !schema->is_number_integer() || schema->get<std::int64_t>() != kResultsSchema)
      fail("schema", fmt::format("must be {}", kResultsSchema));
    const json* benchmarks = find(doc, "benchmarks");
    if (!benchmarks || !benchmarks->is_array()) fail("benchmarks", "must be a list");
    const json* exit_code = find(doc, "exit_code");
    if (exit_code && !exit_code->is_number_integer()) fail("exit_code", "must be an integer");
    ResultsFile out;
    out.exit_code = exit_code ? exit_code->get<int>() : 0;
    out.unfinished_error = text(doc, "error", "");
    RunResult& run = out.run;
    std::set<std::string> names;
    for (size_t i = 0; i < benchmarks->size(); ++i) {
      const std::string path = fmt::format("benchmarks[{}]", i);
      run.benchmarks.push_back(benchmark((*benchmarks)[i], path));
      const std::string& name = run.benchmarks.back().name();
      if (name.empty()) fail(path + ".name", "is empty");
      if (name.size() > kLongestBenchmarkName)
        fail(path + ".name", fmt::format("is {} bytes long (at most {})", name.size(), kLongestBenchmarkName));
      if (!names.insert(name).second) fail(path + ".name", fmt::format("'{}' is there twice", printable_line(name, 200)));
    }
    run.gone = texts(doc, "gone", "");
    run.skipped = texts(doc, "skipped", "");
    if (const json* comparisons = find(doc, "comparisons")) {
      if (!comparisons->is_array()) fail("comparisons", "must be a list");
      for (size_t i = 0; i < comparisons->size(); ++i)
        run.comparisons.push_back(comparison((*comparisons)[i], fmt::format("comparisons[{}]", i)));
    }
    if (const json* drifts = find(doc, "drift")) {
      if (!drifts->is_array()) fail("drift", "must be a list");
      for (size_t i = 0; i < drifts->size(); ++i) run.drifts.push_back(drift((*drifts)[i], fmt::format("drift[{}]", i)));
    }
    run.updating_baselines = flag(doc, "updating_baselines", "");
    run.allow_incomparable = flag(doc, "allow_incomparable", "");
    run.verified = flag(doc, "verified", "");
    run.seconds = seconds(doc, "");
    run.history_error = text(doc, "history_error", "");
    if (flag(doc, "interrupted", "") && out.exit_code > 128) run.interrupted_by = out.exit_code - 128;
    metadata(doc, run);
    return out;
  }
};

} // namespace

ResultsFile results_of_document(const json& document, const std::string& source) {
  return Reader(source).document(document);
}

ResultsFile read_results_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(ErrorKind::io, fmt::format("{}: cannot open", file.string()));
  std::string duplicate;
  json document;
  try {
    document = parse_json_without_duplicates(in, duplicate);
  } catch (const json::exception& e) {
    throw Error(ErrorKind::parse, fmt::format("{}: not a ci-bench results.json: {}", file.string(), e.what()));
  }
  if (!duplicate.empty())
    throw Error(ErrorKind::parse, fmt::format("{}: not a ci-bench results.json: the key '{}' is in one object twice",
                                              file.string(), printable_line(duplicate, 200)));
  return results_of_document(document, file.string());
}

} // namespace cibench

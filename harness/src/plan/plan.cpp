#include "plan/plan.hpp"

#include "exec/suite_protocol.hpp"
#include "util/utf8.hpp"
#include "metrics/metrics.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <regex>

namespace cibench {
namespace {

// Names become file names, JSON strings, terminal and Markdown text: they must be short, valid
// UTF-8 and free of control characters. Throws Error(config) quoting the name made printable.
void check_name(const std::string& name, const std::string& source) {
  if (name.empty()) throw Error(ErrorKind::config, fmt::format("{}: a benchmark has an empty name", source));
  if (name.size() > 200)
    throw Error(ErrorKind::config, fmt::format("{}: benchmark name '{}...' is longer than 200 bytes", source,
                                               printable_line(name, 40)));
  if (valid_utf8(name) != name)
    throw Error(ErrorKind::config, fmt::format("{}: benchmark name '{}' is not valid UTF-8", source, printable(name)));
  if (visible_controls(name, Newlines::escaped) != name)
    throw Error(ErrorKind::config,
                fmt::format("{}: benchmark name '{}' contains a control character", source, printable(name)));
}

// Thresholds and budgets on cache metrics cannot be checked when the cache is not simulated.
void check_thresholds_measurable(const std::vector<BenchmarkPlan>& plan, const ValgrindSettings& settings) {
  if (settings.cache_sim) return;
  for (auto& b : plan) {
    const Thresholds& t = b.settings.thresholds;
    std::vector<std::string> gated;
    for (auto* level : {&t.warn, &t.fail})
      for (auto& [metric, pct] : *level) gated.push_back(metric);
    for (auto& [metric, ceiling] : t.budget) gated.push_back(metric);
    for (auto& metric : gated)
      if (metric != "Ir" && metric != "instructions" && is_counted_metric(metric))
        throw Error(ErrorKind::config,
                    fmt::format("{}: a threshold or budget on '{}' needs the cache simulation, but [valgrind] "
                                "cache_sim = false measures only instructions: drop it, or set cache_sim = true",
                                b.source, metric));
  }
}

void check_comparisons(const std::vector<Comparison>& comparisons, const std::vector<std::string>& names) {
  for (auto& c : comparisons)
    for (auto* side : {&c.baseline, &c.candidate})
      if (std::find(names.begin(), names.end(), *side) == names.end())
        throw Error(ErrorKind::config,
                    fmt::format("{}: [[compare]] '{}' names '{}', which is not a benchmark", c.where, c.name, *side));
}

// Whole programs under Cachegrind, the cheaper of the two for long runs; a suite's region under
// Callgrind, which counts exactly the body in one run where Cachegrind (before Valgrind 3.22) needs a
// second, calibration run. docs/how-it-measures.md has the figures.
void default_tool(BenchmarkPlan& p) {
  if (p.settings.tool.empty()) p.settings.tool = p.has_region() ? "callgrind" : "cachegrind";
}

// A program named without a '/' is looked up on PATH, as a shell would, and resolve_program()
// leaves the bare name when PATH has no such program. Says so, with "./NAME" when the config's
// folder has a file of that name (what the user most likely meant); empty for any other program.
std::string not_found_on_path(const std::filesystem::path& program, const std::filesystem::path& config_dir) {
  if (program.has_parent_path()) return "";
  std::string why = fmt::format("'{}' has no '/', so it was looked up on PATH, which has no such program", program.string());
  std::error_code ec;
  if (std::filesystem::exists(config_dir / program, ec))
    why += fmt::format("; a file of that name is next to the config: write \"./{}\" to run that one", program.string());
  return why;
}

} // namespace

std::optional<std::regex> compile_filter(const std::string& filter) {
  if (filter.empty()) return std::nullopt;
  try {
    return std::regex(filter, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw Error(ErrorKind::config, fmt::format("--filter '{}' is not a valid regular expression: {}", filter, e.what()));
  }
}

std::vector<BenchmarkPlan> make_plan(const Config& config) {
  std::vector<BenchmarkPlan> plan;
  std::map<std::string, std::string> seen; // name -> where
  auto add = [&](BenchmarkPlan p) {
    check_name(p.name, p.source);
    default_tool(p);
    auto [it, fresh] = seen.try_emplace(p.name, p.source);
    if (!fresh)
      throw Error(ErrorKind::config, fmt::format("benchmark name '{}' is used twice: {} and {}", p.name, it->second, p.source));
    plan.push_back(std::move(p));
  };
  const std::filesystem::path config_dir = config.file.parent_path();
  for (auto& b : config.benchmarks) {
    std::optional<Failure> unfound;
    if (auto why = not_found_on_path(b.command[0], config_dir); !why.empty())
      unfound = Failure{ErrorKind::setup, fmt::format("{} ({})", why, b.where)};
    add({.name = b.name,
         .kind = BenchmarkPlan::Kind::command,
         .program = b.command[0],
         .arguments = {b.command.begin() + 1, b.command.end()},
         .settings = b.settings,
         .source = b.where,
         .setup_failure = unfound});
  }
  for (auto& a : config.artifacts) {
    RunSettings settings;
    settings.thresholds = a.thresholds;
    add({.name = a.name,
         .kind = BenchmarkPlan::Kind::artifact,
         .program = a.path,
         .arguments = {},
         .settings = settings,
         .source = a.where,
         .setup_failure = {}});
  }
  for (auto& s : config.suites) {
    std::vector<std::string> names;
    try {
      if (auto why = not_found_on_path(s.binary, config_dir); !why.empty())
        throw Error(ErrorKind::setup, fmt::format("suite {} ({}): {}", s.binary.string(), s.where, why));
      names = suite_protocol::list_benchmarks(s.binary, s.settings.env, s.settings.timeout, s.where,
                                              config.report.build_hint());
      for (auto& name : names) check_name(name, fmt::format("suite {} --list ({})", s.binary.string(), s.where));
    } catch (const Error& e) { // this suite cannot be measured; the others still are
      plan.push_back({.name = s.binary.filename().string(),
                      .kind = BenchmarkPlan::Kind::suite_benchmark,
                      .program = s.binary,
                      .arguments = {},
                      .settings = s.settings,
                      .source = s.where,
                      .setup_failure = Failure{ErrorKind::setup, e.what()}});
      default_tool(plan.back());
      continue;
    }
    for (auto& [name, settings] : s.overrides)
      if (std::find(names.begin(), names.end(), name) == names.end())
        throw Error(ErrorKind::config, fmt::format("{}: [suite.benchmark.\"{}\"] names no benchmark of {} (see `{} --list`)",
                                                   s.where, name, s.binary.string(), s.binary.string()));
    for (auto& name : names) {
      auto own = s.overrides.find(name);
      add({.name = name,
           .kind = BenchmarkPlan::Kind::suite_benchmark,
           .program = s.binary,
           .arguments = {},
           .settings = own != s.overrides.end() ? own->second : s.settings,
           .source = fmt::format("suite {} ({})", s.binary.string(), s.where),
           .setup_failure = {}});
    }
  }
  return plan;
}

Selection select_benchmarks(const Config& config, const std::string& filter) {
  const auto pattern = compile_filter(filter);
  Selection s;
  for (auto& b : make_plan(config)) {
    s.all.push_back(b.name);
    if (pattern && !std::regex_search(b.name, *pattern)) continue;
    if (b.settings.wall_clock_only) s.skipped.push_back(b.name);
    else s.measured.push_back(std::move(b));
  }
  check_comparisons(config.comparisons, s.all);
  check_thresholds_measurable(s.measured, config.valgrind);
  if (s.measured.empty())
    throw Error(ErrorKind::config,
                fmt::format("nothing to measure in {}{}", config.file.string(),
                            pattern ? fmt::format(": --filter '{}' matches no benchmark measured by `run`", filter) : ""));
  return s;
}

} // namespace cibench

#include "app/time_command.hpp"

#include "config/config.hpp"
#include "util/error.hpp"
#include "util/file_names.hpp"
#include "plan/plan.hpp"
#include "wallclock/compare_report.hpp"
#include "wallclock/instruction_counts.hpp"
#include "wallclock/saved_samples.hpp"
#include "wallclock/time_report.hpp"
#include "util/utf8.hpp"

#include <fmt/format.h>
#include <future>
#include <map>
#include <optional>
#include <random>
#include <regex>

namespace cibench {
namespace fs = std::filesystem;

namespace {

// Saved samples belong to one machine: they live under --out, never beside the committed baselines.
fs::path samples_file(const TimeOptions& o, const std::string& name) { return o.out / "time" / (file_stem(name) + ".json"); }

} // namespace

std::vector<BenchmarkPlan> timed_plan(const Config& config, const std::string& filter) {
  std::optional<std::regex> pattern;
  try {
    if (!filter.empty()) pattern = std::regex(filter);
  } catch (const std::regex_error& e) {
    throw Error(ErrorKind::config, fmt::format("--filter '{}' is not a valid regular expression: {}", filter, e.what()));
  }
  std::vector<BenchmarkPlan> plan;
  for (auto& b : make_plan(config)) // wall_clock_only benchmarks are this mode's own; artifacts are not run
    if (b.kind != BenchmarkPlan::Kind::artifact && (!pattern || std::regex_search(b.name, *pattern))) plan.push_back(b);
  if (plan.empty()) throw Error(ErrorKind::config, fmt::format("--filter '{}' matches no benchmark in {}", filter, config.file.string()));
  return plan;
}

// Raw Valgrind files go to OUT/time/valgrind/FOLDER: apart from the gate's, and one folder a side.
std::vector<InstructionCount> counts_if_asked(const TimeOptions& o, const Config& config, const std::vector<BenchmarkPlan>& plan,
                                              const char* side, const char* folder) {
  if (!o.count_instructions) return std::vector<InstructionCount>(plan.size());
  fmt::print(stderr, "ci-bench time: counting the instructions of {} benchmark(s){} under Valgrind first (--no-count skips this)\n",
             plan.size(), side);
  return count_instructions(config, plan, o.out / "time" / "valgrind" / folder);
}

int time_benchmarks(const TimeOptions& options) {
  // The Valgrind runs behind the instruction counts start in a sandbox folder: a relative --out
  // (the default) must name the folder it names here, in the current one.
  TimeOptions o = options;
  o.out = fs::absolute(o.out);
  if (!o.compare.empty()) return compare_builds(o);
  const Config config = load_config(o.config);
  std::optional<SavedSamples> baseline;
  if (!o.baseline.empty()) {
    baseline = load_samples(samples_file(o, o.baseline), o.baseline);
    fmt::print(stderr, "ci-bench time: warning: samples saved as '{}' carry the machine's state of the moment they were "
                       "taken (load, frequency, cache, thermal), so a change against them may be the machine's. To compare "
                       "two builds, time both in one session: ci-bench time --compare OTHER_CONFIG\n", o.baseline);
  }

  TimeReport report;
  report.resolution = clock_resolution();
  report.baseline_name = o.baseline;
  report.threshold_pct = o.threshold_pct;
  const std::vector<BenchmarkPlan> plan = timed_plan(config, o.filter);
  const std::vector<InstructionCount> counts = counts_if_asked(o, config, plan, "", "this");

  fmt::print(stderr, "ci-bench time: {} benchmark(s), one at a time, natively\n", plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    const auto& b = plan[i];
    TimedBenchmark timed = time_benchmark(b, o.sampling, report.resolution);
    timed.instructions = counts[i];
    TimeResult r = analyse_timing(std::move(timed), baseline ? &*baseline : nullptr, o.threshold_pct);
    fmt::print(stderr, "  {} ({} samples){}\n", printable(b.name), r.timed.ns_per_iteration.size(), r.timed.error.empty() ? "" : " ERROR");
    report.results.push_back(std::move(r));
  }
  print_time_report(report, stdout);
  if (!o.save.empty()) {
    std::vector<TimedBenchmark> timed;
    int errors = 0;
    for (auto& r : report.results) {
      timed.push_back(r.timed);
      errors += !r.timed.error.empty();
    }
    for (auto& [name, why] : save_samples(samples_file(o, o.save), o.save, timed))
      fmt::print("not saved: {}: {}\n", printable(name), printable(why));
    fmt::print("samples saved as '{}': {}{}\n", o.save, samples_file(o, o.save).string(),
               errors ? fmt::format(" ({} benchmark(s) with an error left out)", errors) : "");
  }
  if (!o.json.empty()) write_google_benchmark_json(report, o.json);
  if (!o.markdown.empty()) write_markdown_report(report, o.markdown);
  return report.exit_code();
}

int compare_builds(const TimeOptions& o) {
  const Config here = load_config(o.config), there = load_config(o.compare);
  const std::vector<BenchmarkPlan> here_plan = timed_plan(here, o.filter), there_plan = timed_plan(there, o.filter);
  CompareReport report;
  report.candidate_config = here.file;
  report.other_config = there.file;
  report.blocks = o.blocks;
  report.threshold_pct = o.threshold_pct;
  report.seed = o.seed ? *o.seed : (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  std::map<std::string, size_t> there_index;
  for (size_t i = 0; i < there_plan.size(); ++i) there_index[there_plan[i].name] = i;
  std::vector<BenchmarkPlan> here_paired, there_paired;
  for (auto& b : here_plan) {
    if (auto it = there_index.find(b.name); it != there_index.end()) {
      here_paired.push_back(b);
      there_paired.push_back(there_plan[it->second]);
      there_index.erase(it);
    } else report.only_here.push_back(b.name);
  }
  for (auto& b : there_plan)
    if (there_index.count(b.name)) report.only_there.push_back(b.name);
  if (here_paired.empty())
    throw Error(ErrorKind::config, fmt::format("no benchmark name is in both {} and {}{}: nothing to compare", here.file.string(),
                                               there.file.string(), o.filter.empty() ? "" : " (after --filter)"));

  // Both sides at once: Valgrind is serial per benchmark, and nothing is being timed yet.
  auto there_pending = std::async(std::launch::async, [&] { return counts_if_asked(o, there, there_paired, " (the other build)", "other"); });
  const auto here_counts = counts_if_asked(o, here, here_paired, " (this build)", "this");
  const auto there_counts = there_pending.get();
  report.resolution = clock_resolution();
  InterleaveOptions interleave{.blocks = o.blocks, .seed = report.seed, .sampling = o.sampling, .warmup = o.sampling.warmup};
  fmt::print(stderr, "ci-bench time --compare: {} benchmark(s), {} blocks each, seed {}\n", here_paired.size(), o.blocks,
             report.seed);
  for (size_t i = 0; i < here_paired.size(); ++i) {
    ComparedBenchmark r = analyse_interleaved(time_interleaved(here_paired[i], there_paired[i], interleave, report.resolution),
                                              here_counts[i], there_counts[i], o.threshold_pct);
    fmt::print(stderr, "  {}{}\n", printable(r.timing.name), r.timing.error.empty() ? "" : " ERROR");
    report.results.push_back(std::move(r));
  }
  print_compare_report(report, stdout);
  if (!o.json.empty()) write_compare_google_benchmark_json(report, o.json);
  if (!o.markdown.empty()) write_compare_markdown(report, o.markdown);
  return report.exit_code();
}

} // namespace cibench

#include "app/diff_command.hpp"

#include "util/error.hpp"
#include "judge/function_changes.hpp"
#include "judge/gate.hpp"
#include "results/results_json.hpp"
#include "valgrind/tool.hpp"
#include "util/utf8.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <future>

namespace cibench {
namespace fs = std::filesystem;

namespace {

std::string percent(std::int64_t before, std::int64_t after) {
  auto c = change_pct(before, after);
  if (!c || *c == 0) return "(No change)";
  if (std::isinf(*c)) return "(new)";
  return std::abs(*c) < 1 ? fmt::format("({:+.4f}%)", *c) : fmt::format("({:+.2f}%)", *c);
}

void print_function_changes(const FunctionInstructions& before, const FunctionInstructions& after, std::FILE* out) {
  auto changes = top_function_changes(before, after, true, 15);
  if (changes.empty()) return;
  fmt::print(out, "  functions that changed most (instructions, self):\n");
  for (auto& c : changes) fmt::print(out, "    {:>+12} {:>12} -> {:<12} {}\n", c.change(), c.before, c.after, printable(c.function));
}

Profile read_profile(const fs::path& file) { return tool_that_wrote(file).read(file); }

void diff_profiles(const fs::path& old_file, const fs::path& new_file, std::FILE* out) {
  // The two files are read at once, one on another thread: on a 2-core machine that halves the wait.
  auto old_profile = std::async(std::launch::async, read_profile, old_file);
  const Profile b = read_profile(new_file);
  const Profile a = old_profile.get();
  fmt::print(out, "old: {} ({})\nnew: {} ({})\n\n", old_file.string(), printable(a.cmd), new_file.string(), printable(b.cmd));
  const Metrics ma = a.totals_by_event(), mb = b.totals_by_event();
  for (auto& event : b.events)
    if (ma.count(event))
      fmt::print(out, "  {:<6}{:>14} -> {:<14} {}\n", event, ma.at(event), mb.at(event), percent(ma.at(event), mb.at(event)));
  const fs::path here = fs::current_path();
  print_function_changes(function_instructions(a, here), function_instructions(b, here), out);
}

void diff_results(const fs::path& old_file, const fs::path& new_file, std::FILE* out) {
  const RunResult a = read_results_json(old_file).run, b = read_results_json(new_file).run;
  std::map<std::string, const BenchmarkResult*> old_by_name;
  for (auto& bench : a.benchmarks) old_by_name[bench.name()] = &bench;
  for (auto& bench : b.benchmarks) {
    auto it = old_by_name.find(bench.name());
    if (it == old_by_name.end()) {
      fmt::print(out, "{}: only in {}\n", printable(bench.name()), new_file.string());
      continue;
    }
    const BenchmarkResult& before = *it->second;
    old_by_name.erase(it);
    // Every metric a report shows (the table's labelled ones: counts, heap, sizes) that both sides
    // have: the primary ones (instructions, the heap peak, the code size) always, the others when they moved.
    const Metrics before_metrics = with_derived(before.measurement.events), metrics = with_derived(bench.measurement.events);
    bool any = false;
    for (auto& info : kMetricTable) {
      const std::string metric(info.name);
      auto was = before_metrics.find(metric), now = metrics.find(metric);
      if (info.label.empty() || was == before_metrics.end() || now == metrics.end()) continue;
      if (info.primary || was->second != now->second) {
        fmt::print(out, "{}: {} {} -> {} {}\n", printable(bench.name()), metric, format_metric_value(metric, was->second),
                   format_metric_value(metric, now->second),
                   percent(was->second, now->second));
      }
      any = true;
    }
    if (!any) fmt::print(out, "{}: no counts on one side (an error?)\n", printable(bench.name()));
    // results.json keeps each side's top functions only: compare those both sides recorded.
    FunctionInstructions was_kept, now_kept;
    for (auto& [function, count] : before.reported_functions)
      if (auto it = bench.reported_functions.find(function); it != bench.reported_functions.end()) {
        was_kept[function] = count;
        now_kept[function] = it->second;
      }
    print_function_changes(was_kept, now_kept, out);
  }
  for (auto& [name, entry] : old_by_name) fmt::print(out, "{}: only in {}\n", printable(name), old_file.string());
}

} // namespace

void diff_files(const fs::path& old_file, const fs::path& new_file, std::FILE* out) {
  for (auto& f : {old_file, new_file})
    if (!fs::is_regular_file(f)) throw Error(ErrorKind::io, fmt::format("{}: no such file", f.string()));
  if (old_file.extension() == ".json" && new_file.extension() == ".json") diff_results(old_file, new_file, out);
  else diff_profiles(old_file, new_file, out);
}

} // namespace cibench

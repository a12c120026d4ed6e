#include "report/terminal_report.hpp"

#include "judge/drift_sentence.hpp"
#include "util/plural.hpp"
#include "util/short_name.hpp"
#include "util/utf8.hpp"

#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <map>
#include <fmt/ranges.h>
#include <algorithm>
#include <sstream>

namespace cibench {
namespace {

struct Palette {
  bool on;
  std::string paint(const std::string& text, const char* code) const {
    return on ? fmt::format("\033[{}m{}\033[0m", code, text) : text;
  }
  const char* code(Status s) const {
    switch (s) {
    case Status::fail:
    case Status::nondeterministic:
    case Status::error: return "1;31";
    case Status::warn:
    case Status::incomparable: return "1;33";
    case Status::improved:
    case Status::pass: return "1;32";
    case Status::new_benchmark: return "1;36";
    }
    return "0";
  }
};

// Counts as they are; bytes in KiB / MiB, as people budget them.
std::string format_change(const MetricVerdict& m) {
  if (!m.baseline) return "(no baseline)";
  if (!m.change_pct) return "(not compared)";
  const double c = *m.change_pct;
  if (c == 0) return "(No change)";
  if (std::isinf(c)) return c > 0 ? "(+inf%: was 0)" : "(-inf%)";
  if (std::abs(c) < 0.00005) return fmt::format("({}<0.0001%)", c > 0 ? '+' : '-'); // not "-0.0000%", which reads as none
  return std::abs(c) < 1 ? fmt::format("({:+.4f}%)", c) : fmt::format("({:+.2f}%)", c);
}

std::string format_limit(const MetricVerdict& m) {
  if (m.over_budget) return fmt::format("  FAIL: over its budget of {}", format_metric_value(m.metric, *m.budget));
  switch (m.status) {
  case Status::fail:
    if (m.fail_limit && m.change_pct && *m.change_pct > *m.fail_limit) return fmt::format("  FAIL: over the {}% limit", *m.fail_limit);
    return fmt::format("  FAIL: up by more than {}", format_metric_value(m.metric, m.fail_bytes.value_or(0)));
  case Status::warn:
    if (m.warn_limit && m.change_pct && *m.change_pct > *m.warn_limit) return fmt::format("  warn: over {}%", *m.warn_limit);
    return fmt::format("  warn: up by more than {}", format_metric_value(m.metric, m.warn_bytes.value_or(0)));
  case Status::improved: return "  improved: refresh the baseline";
  default:
    // Under budget: how far, so a team sees its headroom.
    if (m.budget && *m.budget > 0)
      return fmt::format("  {:.0f}% of its budget of {}", 100.0 * static_cast<double>(m.current) / static_cast<double>(*m.budget),
                         format_metric_value(m.metric, *m.budget));
    return "";
  }
}

// A baseline keeps only its biggest entries (functions, sites, symbols): one it did not keep is
// listed with a bound once it is above the smallest kept, and not at all below it. The reader is told.
void print_floor_note(std::FILE* out, const std::string& metric, const std::optional<std::int64_t>& floor, std::string_view what) {
  if (floor)
    fmt::print(out, "    (the baseline keeps only its biggest {0}, down to {1}: one it did not keep shows \"<= {1}\" before, "
                    "or nothing while it stays below that)\n",
               what, format_metric_value(metric, *floor));
}

// One line per change: "+900  1000 -> 1900  name"; an entry the baseline did not keep has only a
// bound before, so its change is a bound too ("<= 838 B", ">= +5.6 KiB").
void print_changes(std::FILE* out, const std::string& title, const std::string& metric, const std::vector<FunctionChange>& changes) {
  if (changes.empty()) return;
  fmt::print(out, "  {}\n", title);
  for (auto& c : changes) {
    const std::string change = (c.change() > 0 ? "+" : "") + format_metric_value(metric, c.change());
    fmt::print(out, "    {:>12} {:>12} -> {:<12} {}\n", c.before_at_most ? ">= " + change : change,
               (c.before_at_most ? "<= " : "") + format_metric_value(metric, c.before), format_metric_value(metric, c.after), printable(c.function));
  }
}

// What a changed line is: "file:line (in f, g)", with what kind of change when it is not the same line.
std::string line_label(const LineChange& c) {
  std::string label = fmt::format("{}:{}", c.file, c.line);
  if (c.gone) label += " (gone: the baseline's line; its text is on no line now)";
  else if (c.edited) label += " (edited)";
  std::vector<std::string> functions;
  for (auto& f : c.functions) functions.push_back(short_name(f));
  if (c.inlined()) label += fmt::format(" {}, inlined into {}", short_name(c.source_function), fmt::join(functions, ", "));
  else if (!functions.empty()) label += fmt::format(" in {}", fmt::join(functions, ", "));
  return label;
}

void print_line_changes(std::FILE* out, const LineReport& lines) {
  if (!lines.unavailable.empty()) {
    fmt::print(out, "  Lines: {}\n", printable(lines.unavailable));
    return;
  }
  std::vector<FunctionChange> as_changes;
  for (auto& c : lines.changes) as_changes.push_back({line_label(c), c.before, c.after, c.before_at_most, {}});
  print_changes(out, "Lines that changed most (instructions, self; inlined code counts at its own line):", "instructions", as_changes);
  if (!lines.changes.empty()) print_floor_note(out, "instructions", lines.floor, "lines");
  if (lines.excerpt) print_source_excerpt(*lines.excerpt, out);
}

void print_benchmark(const BenchmarkResult& r, std::FILE* out, const Palette& p) {
  const Status s = r.verdict.status;
  std::string tag = to_string(s);
  if (r.baseline_written) tag = "baseline written";
  fmt::print(out, "{} {}\n", p.paint(fmt::format("{:<9}", tag), p.code(s)), printable(r.name()));
  if (r.failure) {
    std::istringstream lines(r.failure->message);
    for (std::string l; std::getline(lines, l);) fmt::print(out, "  {}\n", printable(l));
    return;
  }
  if (s == Status::nondeterministic) {
    fmt::print(out, "  the same code counted differently, so no count of it can be trusted: {}\n",
               printable(fmt::format("{}", fmt::join(r.unstable_events, ", "))));
    const bool counters_disagree = std::any_of(r.unstable_events.begin(), r.unstable_events.end(),
                                               [](const std::string& e) { return e.ends_with(" under DHAT"); });
    if (counters_disagree) // the same run, two ways of counting its heap: not the workload's doing
      fmt::print(out, "  (the heap counter and DHAT disagree on this body: a program that behaves otherwise under Valgrind, or\n"
                      "  an allocator the counter does not see; docs/heap-and-size.md says what each counts)\n");
    else
      fmt::print(out, "  (a workload that reads the clock, a random seed, addresses or files the config does not declare;\n"
                      "  `ci-bench run --verify --filter NAME` measures it twice)\n");
  }
  // Why it was measured again although nothing changed: its run does what no digest can prove unchanged.
  if (!r.measurement.reuse_blocked.empty())
    fmt::print(out, "  {} {}{}\n", p.paint("measured every time:", "2"), printable_line(r.measurement.reuse_blocked.front(), 200),
               r.measurement.reuse_blocked.size() > 1 ? fmt::format(" (and {} more in results.json)", r.measurement.reuse_blocked.size() - 1) : "");
  // One line per program, however many processes became it (`sh -c "a; a"` forks and execs twice).
  std::map<std::string, int> became;
  for (auto& program : r.measurement.uncounted_before_exec) ++became[program];
  for (auto& [program, times] : became)
    fmt::print(out, "  {} {} became `{}` by exec: Valgrind counts nothing of a program before it execs\n",
               p.paint("not counted:", "1;33"), times == 1 ? "a process" : fmt::format("{} processes", times), printable(program));
  for (auto& d : r.toolchain_differences)
    fmt::print(out, "  {} {}\n", p.paint("not comparable:", "1;33"), printable(d));
  if (s == Status::incomparable)
    fmt::print(out, "  counts from another toolchain are not compared: refresh the baselines on the toolchain CI uses\n"
                    "  (`ci-bench run --update-baselines`), or pass --allow-incomparable for local work\n");
  for (auto& shown : kMetricTable) {
    auto it = std::find_if(r.verdict.metrics.begin(), r.verdict.metrics.end(),
                           [&](auto& m) { return m.metric == shown.name; });
    if (shown.label.empty() || it == r.verdict.metrics.end()) continue;
    std::string base = it->baseline ? format_metric_value(it->metric, *it->baseline) : "N/A";
    std::string line = fmt::format("  {:<18}{:>14} | {:<14} {}", fmt::format("{}:", shown.label), format_metric_value(it->metric, it->current),
                                   base, format_change(*it));
    std::string limit = format_limit(*it);
    fmt::print(out, "{}{}\n", line, limit.empty() ? "" : p.paint(limit, p.code(it->status)));
  }
  std::vector<FunctionChange> functions = r.function_changes;
  for (auto& c : functions) {
    c.function = short_function_key(c.function);
    if (!c.inlined_into.empty()) {
      std::vector<std::string> into;
      for (auto& f : c.inlined_into) into.push_back(short_name(f));
      c.function += fmt::format(" (now inlined into {}: its instructions count there)", fmt::join(into, ", "));
    }
  }
  print_changes(out, "Functions that changed most (instructions, self):", "instructions", functions);
  if (!r.function_changes.empty()) print_floor_note(out, "instructions", r.function_changes_floor, "functions");
  print_line_changes(out, r.lines);
  const bool at_peak = r.allocation_site_metric == "heap_peak_bytes";
  print_changes(out, at_peak ? "Allocation sites that changed most (bytes live at the peak):"
                             : "Allocation sites that changed most (bytes allocated):",
                r.allocation_site_metric, r.allocation_site_changes);
  if (!r.allocation_site_changes.empty()) print_floor_note(out, r.allocation_site_metric, r.allocation_site_changes_floor, "allocation sites");
  // Sections that changed with none of the symbols kept: said, else a grown .text shows no word why.
  if (r.symbol_changes.empty() && r.symbol_changes_floor)
    fmt::print(out, "  Symbols that changed most (bytes): none of those the baseline kept\n");
  print_changes(out, "Symbols that changed most (bytes):", "text_bytes", r.symbol_changes);
  print_floor_note(out, "text_bytes", r.symbol_changes_floor, "symbols");
  // A metric gated by a threshold but not displayed above (a raw event, say) still shows when it decides.
  for (auto& m : r.verdict.metrics)
    if (const MetricInfo* info = find_metric(m.metric); m.status != Status::pass && (!info || info->label.empty()))
      fmt::print(out, "  {:<18}{:>14} | {:<14} {}{}\n", m.metric + ":", m.current,
                 m.baseline ? fmt::format("{}", *m.baseline) : "N/A", format_change(m), p.paint(format_limit(m), p.code(m.status)));
}

} // namespace

void print_source_excerpt(const SourceExcerpt& e, std::FILE* out) {
  const int width = static_cast<int>(std::to_string(e.first_line + e.lines.size()).size());
  fmt::print(out, "    {}:\n", printable(e.file));
  for (size_t i = 0; i < e.lines.size(); ++i) {
    const auto n = e.first_line + static_cast<std::uint32_t>(i);
    fmt::print(out, "    {} {:>{}} | {}\n", n == e.line ? ">" : " ", n, width, printable_line(e.lines[i], 200));
  }
}

void print_summary(const RunResult& report, std::FILE* out, bool colour) {
  const Palette p{colour};
  for (auto& b : report.benchmarks) print_benchmark(b, out, p);
  if (!report.comparisons.empty()) {
    fmt::print(out, "\nComparisons (candidate / baseline; below 1 means the candidate costs less):\n");
    for (auto& c : report.comparisons) {
      fmt::print(out, "  {}: {} / {}\n", printable(c.declared.name), printable(c.declared.candidate), printable(c.declared.baseline));
      if (!c.error.empty()) {
        fmt::print(out, "    {}\n", p.paint(printable(c.error), "1;31"));
        continue;
      }
      std::string line;
      for (auto& shown : kMetricTable)
        if (auto it = c.ratio.find(std::string(shown.name)); !shown.label.empty() && it != c.ratio.end())
          line += fmt::format("{}{} {:.3f}x", line.empty() ? "" : ", ", shown.label, it->second);
      fmt::print(out, "    {}\n", line);
    }
  }
  if (!report.skipped.empty())
    fmt::print(out, "\nNot measured here (wall_clock_only in the config): {}\n", printable(fmt::format("{}", fmt::join(report.skipped, ", "))));
  if (!report.gone.empty()) {
    fmt::print(out, "\n{} baseline(s) have no benchmark (removed or renamed? delete the file):\n", report.gone.size());
    for (auto& g : report.gone) fmt::print(out, "  {}\n", printable(g));
  }
  if (!report.drifts.empty()) {
    fmt::print(out, "\nDrift (each step passed, the sum did not; see `ci-bench history show`):\n");
    for (auto& d : report.drifts)
      fmt::print(out, "  {} {}: {}\n", printable_line(d.benchmark, 200), printable(d.metric), p.paint(printable(drift_sentence(d)), "33"));
  }
  auto c = report.counts();
  std::string counts = fmt::format("{} pass, {} warn, {} fail, {} improved, {} new, {} error", c[Status::pass],
                                   c[Status::warn], c[Status::fail], c[Status::improved], c[Status::new_benchmark],
                                   c[Status::error]) +
                       (c[Status::incomparable] ? fmt::format(", {} incomparable", c[Status::incomparable]) : "") +
                       (c[Status::nondeterministic] ? fmt::format(", {} nondeterministic", c[Status::nondeterministic]) : "");
  Status worst = Status::pass;
  for (auto s : kAllStatuses)
    if (c[s] > 0 && s != Status::improved && s != Status::new_benchmark) worst = s;
  const int reused = report.reused();
  fmt::print(out, "\nci-bench: {} in {:.1f} s: {}{}\n", counted(report.benchmarks.size(), "benchmark"), report.seconds,
             p.paint(counts, p.code(worst)),
             reused ? fmt::format(" ({} reused: content unchanged since the baseline)", reused) : "");
  if (report.verified)
    fmt::print(out, "ci-bench: verified (--verify): every benchmark that ran was measured twice{}, {}\n",
               std::any_of(report.benchmarks.begin(), report.benchmarks.end(),
                           [](auto& b) { return b.measurement.events.contains("heap_total_bytes"); })
                   ? " (heap figures: a suite's by the heap counter twice and under DHAT once)"
                   : "",
               c[Status::nondeterministic] ? fmt::format("{} counted differently", counted(c[Status::nondeterministic], "benchmark"))
                                           : "every event the same");
  if (report.interrupted_by)
    fmt::print(out, "ci-bench: {}: interrupted by signal {} ({}); what did not finish is an error\n",
               p.paint("the run did not finish", p.code(Status::error)), report.interrupted_by, ::strsignal(report.interrupted_by));
  if (!report.history_error.empty())
    fmt::print(out, "ci-bench: {}: {}\n", p.paint("not recorded in the history (exit 2)", p.code(Status::error)),
               printable_line(report.history_error, 600));
}

} // namespace cibench

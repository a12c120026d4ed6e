#include "wallclock/time_report.hpp"

#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/utf8.hpp"
#include "wallclock/instruction_counts.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <string_view>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <thread>

namespace cibench {
using nlohmann::json;

int TimeReport::exit_code() const {
  int code = 0;
  for (auto& r : results) {
    if (!r.timed.error.empty()) return 2;
    if (r.comparison && r.comparison->verdict == TimeVerdict::regression) code = 1;
  }
  return code;
}

TimeResult analyse_timing(TimedBenchmark timed, const SavedSamples* baseline, double threshold_pct) {
  TimeResult r;
  r.timed = std::move(timed);
  if (!r.timed.error.empty()) return r;
  const auto& x = r.timed.ns_per_iteration;
  if (x.size() < kMinSamples) {
    r.timed.error = fmt::format("{} sample(s): the statistics need at least {}", x.size(), kMinSamples);
    return r;
  }
  try {
    r.summary = stats::summarize(x);
    r.mean_95 = stats::mean_interval(x);
    r.median_95 = stats::bootstrap_median_interval(x);
    r.outliers = stats::tukey_outliers(x);
  } catch (const Error& e) {
    r.timed.error = e.what();
    return r;
  }
  if (!baseline) return r;
  if (auto skipped = baseline->skipped.find(r.timed.name); skipped != baseline->skipped.end()) {
    r.not_compared = skipped->second;
    return r;
  }
  auto it = baseline->benchmarks.find(r.timed.name);
  if (it == baseline->benchmarks.end()) return r;
  try {
    r.baseline_summary = stats::summarize(it->second.ns_per_iteration);
    r.comparison = compare_times(it->second.ns_per_iteration, x, threshold_pct);
    r.baseline = it->second;
  } catch (const Error& e) {
    r.comparison.reset();
    r.timed.error =
        fmt::format("comparing with saved samples '{}' ({}): {}", baseline->name, baseline->file.string(), e.what());
  }
  return r;
}

std::string format_duration(double ns) {
  const double a = std::abs(ns);
  if (a < 1e3) return fmt::format("{:.1f} ns", ns);
  if (a < 1e6) return fmt::format("{:.2f} us", ns / 1e3);
  if (a < 1e9) return fmt::format("{:.2f} ms", ns / 1e6);
  return fmt::format("{:.3f} s", ns / 1e9);
}

// A benchmark name as literal Markdown text: no markup, no HTML, no line breaks.
std::string markdown_text(const std::string& name) {
  std::string out;
  for (char c : visible_controls(name, Newlines::kept)) { // no ESC, no direction override in the Markdown
    if (c == '\n' || c == '\r') out += ' ';
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (std::string_view("\\`*_{}[]()#+-.!|~").find(c) != std::string_view::npos) out += std::string("\\") + c;
    else out += c;
  }
  return out;
}

// A p-value to four places; below that, a bound, since "0.0000" would read as impossible.
std::string format_p(double p) { return p < 1e-4 ? "< 0.0001" : fmt::format("= {:.4f}", p); }

namespace {

std::string comparison_line(const TimeResult& r, const std::string& baseline_name) {
  const auto& c = *r.comparison;
  return fmt::format("vs '{}': {:+.2f}% (speedup {:.3f}x, 95% CI {:.3f}-{:.3f}), Welch t = {:.2f}, df = {:.1f}, p {}; "
                     "Mann-Whitney U {} p {}; Cohen's d = {:.2f}, Hedges' g = {:.2f}: {}",
                     baseline_name, c.change_pct, c.speedup, c.speedup_95.low, c.speedup_95.high, c.welch.t, c.welch.df,
                     format_p(c.welch.p), to_string(c.mann_whitney.method), format_p(c.mann_whitney.p), c.cohens_d,
                     c.hedges_g, to_string(c.verdict));
}

} // namespace

void print_time_report(const TimeReport& report, std::FILE* out) {
  fmt::print(out, "clock resolution: {} ns; times are per run of the body (suites) or per process (commands)\n\n",
             report.resolution.count());
  for (auto& r : report.results) {
    if (!r.timed.error.empty()) {
      fmt::print(out, "error     {}\n  {}\n", printable(r.timed.name), printable(r.timed.error));
      continue;
    }
    const auto& s = r.summary;
    fmt::print(out, "{}  (n = {}, {} iteration(s) a sample)\n", printable(r.timed.name), s.n, r.timed.iterations);
    fmt::print(out, "  mean {} ± {} (95% CI {} - {})\n", format_duration(s.mean), format_duration(s.sd),
               format_duration(r.mean_95.low), format_duration(r.mean_95.high));
    fmt::print(out, "  min {}  p50 {} (95% CI {} - {})  p95 {}  p99 {}  max {}\n", format_duration(s.min),
               format_duration(s.median), format_duration(r.median_95.low), format_duration(r.median_95.high),
               format_duration(s.p95), format_duration(s.p99), format_duration(s.max));
    fmt::print(out, "  outliers (Tukey, kept in): {} mild, {} severe\n", r.outliers.mild, r.outliers.severe);
    if (!r.timed.note.empty()) fmt::print(out, "  note: {}\n", printable(r.timed.note));
    if (r.timed.instructions.value) fmt::print(out, "  instructions: {} (counted under Valgrind)\n", format_count(*r.timed.instructions.value));
    else if (!r.timed.instructions.error.empty())
      fmt::print(out, "  instructions: not counted: {}\n", printable_line(r.timed.instructions.error, 300));
    if (r.comparison) {
      fmt::print(out, "  {}\n", comparison_line(r, report.baseline_name));
      if (auto both = time_beside_instructions(r.comparison->change_pct, r.comparison->verdict != TimeVerdict::no_significant_change,
                                               r.timed.instructions, r.baseline->instructions);
          !both.empty())
        fmt::print(out, "  {}\n", both);
    }
    else if (!r.not_compared.empty()) fmt::print(out, "  not compared with '{}': {}\n", printable(report.baseline_name), printable(r.not_compared));
    else if (!report.baseline_name.empty()) fmt::print(out, "  not in baseline '{}'\n", report.baseline_name);
  }
  int regressions = 0, improvements = 0, errors = 0;
  for (auto& r : report.results) {
    errors += !r.timed.error.empty();
    if (r.comparison) {
      regressions += r.comparison->verdict == TimeVerdict::regression;
      improvements += r.comparison->verdict == TimeVerdict::improvement;
    }
  }
  fmt::print(out, "\nci-bench time: {} benchmarks, {} regression(s), {} improvement(s), {} error(s)", report.results.size(),
             regressions, improvements, errors);
  if (!report.baseline_name.empty())
    fmt::print(out, " (a regression: p < 0.05 and slower by more than {}%)", report.threshold_pct);
  fmt::print(out, "\n");
}

void write_google_benchmark_json(const std::vector<TimedBenchmark>& timed, std::chrono::nanoseconds resolution,
                                 const std::filesystem::path& file) {
  const std::time_t now = std::time(nullptr);
  char date[64];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S%z", std::localtime(&now));
  json benchmarks = json::array();
  int family = 0;
  for (auto& t : timed) {
    if (!t.error.empty() || t.ns_per_iteration.size() < kMinSamples) continue;
    const auto& samples = t.ns_per_iteration;
    // One "iteration" entry per sample (compare.py runs its U test over these), then aggregates.
    // CPU time is not measured: it is given equal to real time. The instruction count is a user
    // counter, as Google Benchmark writes them: a number beside the times.
    auto entry = [&](const std::string& name, const char* run_type, double ns) {
      json e{{"name", name}, {"family_index", family}, {"per_family_instance_index", 0}, {"run_name", t.name},
             {"run_type", run_type}, {"repetitions", samples.size()}, {"threads", 1},
             {"iterations", t.iterations}, {"real_time", ns}, {"cpu_time", ns}, {"time_unit", "ns"}};
      if (t.instructions.value) e["instructions"] = *t.instructions.value;
      return e;
    };
    for (size_t i = 0; i < samples.size(); ++i) {
      json e = entry(t.name, "iteration", samples[i]);
      e["repetition_index"] = i;
      benchmarks.push_back(e);
    }
    const stats::Summary s = stats::summarize(samples);
    for (auto [aggregate, value] : {std::pair{"mean", s.mean}, {"median", s.median}, {"stddev", s.sd}}) {
      json e = entry(t.name + "_" + aggregate, "aggregate", value);
      e["aggregate_name"] = aggregate;
      benchmarks.push_back(e);
    }
    ++family;
  }
  json j = {{"context", {{"date", date}, {"executable", "ci-bench time"}, {"num_cpus", std::thread::hardware_concurrency()},
                         {"library_build_type", "release"}, {"ci_bench_clock_resolution_ns", resolution.count()}}},
            {"benchmarks", benchmarks}};
  write_file_atomically(file, j.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

void write_google_benchmark_json(const TimeReport& report, const std::filesystem::path& file) {
  std::vector<TimedBenchmark> timed;
  for (auto& r : report.results) timed.push_back(r.timed);
  write_google_benchmark_json(timed, report.resolution, file);
}

void write_markdown_report(const TimeReport& report, const std::filesystem::path& file) {
  std::string md = "# Wall-clock validation report\n\n";
  md += fmt::format("Clock resolution {} ns. Statistics over samples with outliers kept in (Tukey's fences count them).\n",
                    report.resolution.count());
  auto section = [&](const std::string& title, const std::string& name, const stats::Summary& s) {
    md += fmt::format("\n## {}\n- Operation: {}\n- Mean±Stddev: {}±{}\n- Min: {}, P50: {}, P95: {}, P99: {}, Max: {}\n"
                      "- Sample count: n={}\n",
                      title, markdown_text(name), format_duration(s.mean), format_duration(s.sd), format_duration(s.min),
                      format_duration(s.median), format_duration(s.p95), format_duration(s.p99), format_duration(s.max), s.n);
  };
  for (auto& r : report.results) {
    if (!r.timed.error.empty()) {
      md += fmt::format("\n## {}\nError: {}\n", markdown_text(r.timed.name), markdown_text(r.timed.error));
      continue;
    }
    if (r.baseline) section(fmt::format("Baseline ({})", markdown_text(report.baseline_name)), r.timed.name, r.baseline_summary);
    section(r.baseline ? "Candidate (this run)" : "This run", r.timed.name, r.summary);
    if (r.timed.instructions.value) md += fmt::format("- Instructions: {}\n", format_count(*r.timed.instructions.value));
    if (!r.not_compared.empty())
      md += fmt::format("\nNot compared with {}: {}\n", markdown_text(report.baseline_name), markdown_text(r.not_compared));
    if (!r.comparison) continue;
    const auto& c = *r.comparison;
    md += fmt::format("\n### Statistical comparison\n- Speedup: {:.3f}× (95% CI {:.3f}–{:.3f}; {} → {})\n"
                      "- Welch's t-test: t = {:.2f}, df = {:.1f}, p {}\n- Mann–Whitney U ({}): U = {:.1f}, p {}\n"
                      "- Effect size: Cohen's d = {:.2f}, Hedges' g = {:.2f}\n- Conclusion: {} (threshold {}%, p < 0.05)\n",
                      c.speedup, c.speedup_95.low, c.speedup_95.high, format_duration(r.baseline_summary.mean),
                      format_duration(r.summary.mean), c.welch.t, c.welch.df, format_p(c.welch.p),
                      to_string(c.mann_whitney.method), c.mann_whitney.u, format_p(c.mann_whitney.p), c.cohens_d, c.hedges_g,
                      c.verdict == TimeVerdict::regression    ? "❌ regression"
                      : c.verdict == TimeVerdict::improvement ? "✅ improvement"
                                                              : "no significant change",
                      report.threshold_pct);
    if (auto both = time_beside_instructions(c.change_pct, c.verdict != TimeVerdict::no_significant_change,
                                             r.timed.instructions, r.baseline->instructions);
        !both.empty())
      md += fmt::format("- Time and work: {}\n", both);
  }
  write_file_atomically(file, md);
}

} // namespace cibench

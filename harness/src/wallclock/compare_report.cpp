#include "wallclock/compare_report.hpp"

#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/utf8.hpp"
#include "wallclock/instruction_counts.hpp"
#include "wallclock/time_report.hpp"

#include <fmt/format.h>

namespace cibench {
namespace {

std::vector<double> all_samples(const std::vector<std::vector<double>>& blocks) {
  std::vector<double> out;
  for (auto& b : blocks) out.insert(out.end(), b.begin(), b.end());
  return out;
}

bool called(const BlockComparison& c) { return c.verdict != TimeVerdict::no_significant_change; }

std::string signed_pct(double pct) { return fmt::format("{:+.2f}%", pct); }

// Why the verdict is what it is, in one sentence.
std::string verdict_reason(const BlockComparison& c) {
  const std::string bar = c.noise_floor_pct > c.threshold_pct
                              ? fmt::format("the noise floor {:.2f}% (above the threshold {}%)", c.noise_floor_pct, c.threshold_pct)
                              : fmt::format("the threshold {}% (the noise floor is {:.2f}%)", c.threshold_pct, c.noise_floor_pct);
  if (called(c)) return fmt::format("p < {:g} (t and Wilcoxon) and a change past {}", c.alpha, bar);
  if (!c.significant())
    return fmt::format("t's p {} and Wilcoxon's p {}: not both below {:g}", format_p(c.t.p), format_p(c.wilcoxon.p), c.alpha);
  return fmt::format("significant (t's p {}, Wilcoxon's p {}) but not past {}", format_p(c.t.p), format_p(c.wilcoxon.p), bar);
}

std::string instructions_line(const ComparedBenchmark& r) {
  auto side = [](const InstructionCount& c) {
    return c.value ? format_count(*c.value) : "not counted (" + printable_line(c.error, 200) + ")";
  };
  if (r.candidate_instructions.value && r.other_instructions.value && r.comparison)
    return time_beside_instructions(r.comparison->change_pct, called(*r.comparison), r.candidate_instructions,
                                    r.other_instructions);
  return fmt::format("instructions: this build {}, the other {}", side(r.candidate_instructions), side(r.other_instructions));
}

} // namespace

ComparedBenchmark analyse_interleaved(InterleavedTiming timing, InstructionCount candidate_instructions,
                                      InstructionCount other_instructions, double threshold_pct) {
  ComparedBenchmark r{std::move(timing), std::move(candidate_instructions), std::move(other_instructions), {}, {}, {}};
  if (!r.timing.error.empty()) return r;
  try {
    r.candidate = stats::summarize(all_samples(r.timing.candidate));
    r.other = stats::summarize(all_samples(r.timing.other));
    r.comparison = compare_blocks(r.timing.candidate, r.timing.other, threshold_pct);
  } catch (const Error& e) {
    r.comparison.reset();
    r.timing.error = e.what();
  }
  return r;
}

int CompareReport::exit_code() const {
  int code = 0;
  for (auto& r : results) {
    if (!r.timing.error.empty()) return 2;
    if (r.comparison && r.comparison->verdict == TimeVerdict::regression) code = 1;
  }
  return code;
}

void print_compare_report(const CompareReport& report, std::FILE* out) {
  fmt::print(out, "this build:  {}\nthe other:   {}\n", report.candidate_config.string(), report.other_config.string());
  fmt::print(out, "{} blocks a benchmark, sides in a random order per block (seed {}); clock resolution {} ns\n\n",
             report.blocks, report.seed, report.resolution.count());
  int regressions = 0, improvements = 0, errors = 0;
  for (auto& r : report.results) {
    const auto& t = r.timing;
    if (!t.error.empty()) {
      ++errors;
      fmt::print(out, "error     {}\n  {}\n", printable(t.name), printable(t.error));
      continue;
    }
    const auto& c = *r.comparison;
    regressions += c.verdict == TimeVerdict::regression;
    improvements += c.verdict == TimeVerdict::improvement;
    fmt::print(out, "{}  ({} blocks of {} sample(s) a side, {} iteration(s) a sample)\n", printable(t.name), c.blocks,
               t.samples_per_block, t.iterations);
    fmt::print(out, "  this build p50 {}, the other p50 {}\n", format_duration(r.candidate.median), format_duration(r.other.median));
    fmt::print(out, "  change {} (95% CI {} to {}), paired t over blocks = {:.2f}, df = {:.0f}, p {}; Wilcoxon signed-rank exact p {}\n",
               signed_pct(c.change_pct), signed_pct(c.change_95_pct.low), signed_pct(c.change_95_pct.high), c.t.t, c.t.df,
               format_p(c.t.p), format_p(c.wilcoxon.p));
    fmt::print(out, "  noise floor {:.2f}% (each build against itself between its blocks, {} pairs: a change this size "
                    "appears between identical builds here, now)\n",
               c.noise_floor_pct, c.noise_pairs);
    fmt::print(out, "  {}\n", instructions_line(r));
    if (!t.note.empty()) fmt::print(out, "  note: {}\n", printable(t.note));
    fmt::print(out, "  {}: {}\n", to_string(c.verdict), verdict_reason(c));
  }
  for (auto& name : report.only_here) fmt::print(out, "only in this build's config, not compared: {}\n", printable(name));
  for (auto& name : report.only_there) fmt::print(out, "only in the other config, not compared: {}\n", printable(name));
  fmt::print(out, "\nci-bench time --compare: {} benchmark(s), {} regression(s), {} improvement(s), {} error(s); "
                  "a change is called at p < 0.05 (t and Wilcoxon) past the larger of {}% and its noise floor; seed {} (--seed {} "
                  "repeats the order)\n",
             report.results.size(), regressions, improvements, errors, report.threshold_pct, report.seed, report.seed);
}

void write_compare_markdown(const CompareReport& report, const std::filesystem::path& file) {
  std::string md = "# Wall-clock comparison, interleaved\n\n";
  md += fmt::format("This build ({}) against the other ({}), timed in one session: {} blocks a benchmark, the two sides "
                    "in a random order in each block (seed {}). The statistics are over blocks, not samples: per block the "
                    "median of each side and d = ln(this / other); the change is exp(mean d) − 1. A change is called when "
                    "p < 0.05 in both the paired t test and Wilcoxon's signed-rank test, and it is past the larger of the "
                    "threshold ({}%) and the noise floor (the change each build "
                    "shows against itself between its own blocks).\n",
                    markdown_text(report.candidate_config.string()), markdown_text(report.other_config.string()),
                    report.blocks, report.seed, report.threshold_pct);
  md += "\n| benchmark | this build p50 | the other p50 | change (95% CI) | p (t) | p (Wilcoxon) | noise floor | "
        "instructions | verdict |\n| --- | ---: | ---: | --- | ---: | ---: | ---: | --- | --- |\n";
  for (auto& r : report.results) {
    const auto& t = r.timing;
    if (!t.error.empty()) {
      md += fmt::format("| {} | | | | | | | | error: {} |\n", markdown_text(t.name), markdown_text(t.error));
      continue;
    }
    const auto& c = *r.comparison;
    std::string instructions = "not counted";
    if (r.candidate_instructions.value && r.other_instructions.value) {
      const auto a = *r.candidate_instructions.value, b = *r.other_instructions.value;
      instructions = a == b ? fmt::format("unchanged ({})", format_count(a))
                     : b == 0 ? fmt::format("{} → {}", format_count(b), format_count(a))
                              : fmt::format("{} ({} → {})", signed_pct((static_cast<double>(a) / static_cast<double>(b) - 1) * 100),
                                            format_count(b), format_count(a));
    }
    md += fmt::format("| {} | {} | {} | {} ({} to {}) | {} | {} | {:.2f}% | {} | {} |\n", markdown_text(t.name),
                      format_duration(r.candidate.median), format_duration(r.other.median), signed_pct(c.change_pct),
                      signed_pct(c.change_95_pct.low), signed_pct(c.change_95_pct.high), format_p(c.t.p),
                      format_p(c.wilcoxon.p), c.noise_floor_pct, instructions,
                      c.verdict == TimeVerdict::regression    ? "❌ regression"
                      : c.verdict == TimeVerdict::improvement ? "✅ improvement"
                                                              : "no significant change");
  }
  bool any_reading = false;
  for (auto& r : report.results) {
    if (!r.comparison) continue;
    const auto reading = time_beside_instructions(r.comparison->change_pct, called(*r.comparison), r.candidate_instructions,
                                                  r.other_instructions);
    if (reading.empty()) continue;
    if (!any_reading) md += "\nTime beside work:\n\n";
    any_reading = true;
    md += fmt::format("- {}: {}\n", markdown_text(r.timing.name), reading); // our own words and numbers
  }
  if (!report.only_here.empty() || !report.only_there.empty()) md += "\nNot compared (on one side only):\n\n";
  for (auto& name : report.only_here) md += fmt::format("- {} (this build only)\n", markdown_text(name));
  for (auto& name : report.only_there) md += fmt::format("- {} (the other only)\n", markdown_text(name));
  write_file_atomically(file, md);
}

void write_compare_google_benchmark_json(const CompareReport& report, const std::filesystem::path& file) {
  std::vector<TimedBenchmark> timed;
  for (auto& r : report.results) {
    if (!r.timing.error.empty()) continue;
    TimedBenchmark t;
    t.name = r.timing.name;
    t.iterations = r.timing.iterations;
    t.ns_per_iteration = all_samples(r.timing.candidate);
    t.note = r.timing.note;
    t.instructions = r.candidate_instructions;
    timed.push_back(std::move(t));
  }
  write_google_benchmark_json(timed, report.resolution, file);
}

} // namespace cibench

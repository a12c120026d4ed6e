#include "judge/update_baselines.hpp"

#include "exec/process.hpp"
#include "util/directory_lock.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <fmt/format.h>

namespace cibench {

namespace {

// The lines worth keeping: the biggest, until they hold 99 % of the instructions that have a line,
// at most 40 (what a reviewer can skim). Their text identities stay; the functions do not.
std::pair<SourceLines, bool> lines_to_keep(const SourceLines& all) {
  FunctionInstructions counts;
  for (auto& [at, line] : all) counts[at] = line.instructions;
  const KeptFunctions kept = keep_top_functions(counts, 0.99, 40);
  SourceLines lines;
  for (auto& [at, count] : kept.functions) lines[at] = {.instructions = count, .text = all.at(at).text, .functions = {}};
  return {std::move(lines), kept.complete};
}

} // namespace

void update_baselines(RunResult& run, const std::filesystem::path& dir) {
  run.updating_baselines = true;
  check_baseline_dir(dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  DirectoryLock lock(dir, "baseline folder", interrupted);
  // The baselines are a set: every new file is written first, and only then do they replace the
  // old ones, so a failure (a file that cannot be written) leaves the old set whole.
  std::vector<StagedFile> staged;
  std::vector<BenchmarkResult*> written;
  for (auto& r : run.benchmarks) {
    // Counts that did not repeat are not worth keeping.
    if (!r.measurement.ok() || r.verdict.status == Status::nondeterministic) continue;
    auto kept = keep_top_functions(r.measurement.functions);
    Baseline b;
    b.benchmark = r.name();
    b.metrics = with_derived(r.measurement.events);
    b.toolchain = r.measurement.toolchain;
    b.functions = std::move(kept.functions);
    b.functions_complete = kept.complete;
    if (r.measurement.reused && r.baseline) { // what the baseline kept is all the reused counts know
      b.functions = r.baseline->functions;
      b.functions_complete = r.baseline->functions_complete;
      b.lines = r.baseline->lines;
      b.lines_complete = r.baseline->lines_complete;
    } else {
      std::tie(b.lines, b.lines_complete) = lines_to_keep(r.measurement.lines);
    }
    b.content_fingerprint = r.measurement.content_fingerprint;
    b.manifest = r.measurement.manifest;
    // Tenths of a second, enough to balance shards; and the baseline's own figure while a new one is
    // within a factor of two of it, so that a refresh whose counts did not move rewrites no file
    // for the clock's noise (the refresh workflow would open a pull request of it).
    // What a gate run of it takes, for scheduling and shards: without DHAT naming sites.
    const double gate_seconds = r.measurement.seconds - r.measurement.explain_seconds;
    const double measured = std::max(0.1, std::round(gate_seconds * 10) / 10);
    const std::optional<double> before = r.baseline ? r.baseline->seconds : std::nullopt;
    b.seconds = before && (r.measurement.reused || (measured <= 2 * *before && 2 * measured >= *before)) ? *before : measured;
    // The sites that hold 99 % of the bytes, and every site they name in either figure.
    auto sites = keep_top_functions(r.measurement.allocation_sites_total, 0.99, 20);
    auto peak_sites = keep_top_functions(r.measurement.allocation_sites_peak, 0.99, 20);
    for (auto* kept_sites : {&sites.functions, &peak_sites.functions})
      for (auto& [site, bytes] : *kept_sites) {
        b.allocation_sites_total[site] = r.measurement.allocation_sites_total[site];
        if (auto p = r.measurement.allocation_sites_peak.find(site); p != r.measurement.allocation_sites_peak.end())
          b.allocation_sites_peak[site] = p->second;
      }
    b.allocation_sites_complete = b.allocation_sites_total.size() == r.measurement.allocation_sites_total.size();
    auto symbols = keep_top_functions(r.measurement.symbols, 1.0, 500);
    b.symbols = std::move(symbols.functions);
    b.symbols_complete = symbols.complete;
    try {
      staged.push_back(stage_baseline(dir, b));
    } catch (const Error& e) {
      throw Error(ErrorKind::io, fmt::format("{}; no baseline was changed", e.what()));
    }
    written.push_back(&r);
  }
  for (auto& file : staged) file.commit();
  for (auto* r : written) {
    r->baseline_written = true;
    if (r->failure && r->failure->kind == ErrorKind::baseline) { // its corrupt file is now replaced
      r->failure.reset();
      r->verdict.status = Status::new_benchmark;
    }
  }
}

} // namespace cibench

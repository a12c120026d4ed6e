#pragma once
// Baseline files: baselines/<escaped name>.json, one per benchmark, committed with the code.
#include "measure/toolchain.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "metrics/metrics.hpp"
#include "valgrind/profile.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

inline constexpr int kBaselineSchema = 1;

struct Baseline {
  std::string benchmark;
  Metrics metrics;
  Toolchain toolchain; // "fingerprint" in the file
  std::map<std::string, std::int64_t> functions; // self instructions of the top functions, "file:function"
  bool functions_complete = false; // every function is in `functions` (none was cut as too small)
  // Self instructions of the top source lines, with the text identity of each (no functions). In the
  // file: "file:line HASH/N": instructions, one line of JSON each.
  SourceLines lines;
  bool lines_complete = false;
  // heap = true: the biggest allocation sites, bytes at the peak and in total
  std::map<std::string, std::int64_t> allocation_sites_peak;
  std::map<std::string, std::int64_t> allocation_sites_total;
  bool allocation_sites_complete = false;
  std::map<std::string, std::int64_t> symbols; // [[artifact]]: the biggest symbols, bytes
  bool symbols_complete = false;
  std::string content_fingerprint;  // of what was measured (content_fingerprint.hpp); "" unknown
  // What the run read, looked for and listed, as it was (run_manifest.hpp); reuse needs it whole.
  std::map<std::string, std::string> manifest;
  std::optional<double> seconds;    // what measuring it took, to balance shards
};

// What the baseline folder holds for one benchmark: nothing, a baseline, or a fault.
struct BaselineLookup {
  std::optional<Baseline> baseline;
  std::optional<Failure> failure; // kind baseline: the file exists but is unusable
};

std::filesystem::path baseline_file(const std::filesystem::path& baseline_dir, std::string_view benchmark_name);

// A baseline file's text; throws Error(baseline) naming `where` when it is not one of this schema.
Baseline parse_baseline(std::string_view text, const std::string& where);

// nullopt when there is no file for this benchmark. Throws Error(baseline) naming the file when it
// exists but cannot be read, is not JSON, or is not a baseline of this schema.
std::optional<Baseline> load_baseline(const std::filesystem::path& dir, const std::string& benchmark);

// load_baseline with the fault as a value.
BaselineLookup find_baseline(const std::filesystem::path& dir, const std::string& benchmark);

// The baseline's file written beside its place, not yet in it (commit() puts it there); creates
// `dir` if needed. Keys sorted, one per line, for readable diffs.
StagedFile stage_baseline(const std::filesystem::path& dir, const Baseline& baseline);
void save_baseline(const std::filesystem::path& dir, const Baseline& baseline); // staged and committed

// Throws Error(config) when `dir` exists but is not a folder: every benchmark would look new.
void check_baseline_dir(const std::filesystem::path& dir);

// Benchmark names of the baseline files in `dir` (read from each file; the file name when unreadable).
std::vector<std::string> baseline_names(const std::filesystem::path& dir);

// The benchmarks with a baseline in `dir` that are not among `known`: removed or renamed.
std::vector<std::string> orphaned_baselines(const std::filesystem::path& dir, const std::vector<std::string>& known);

} // namespace cibench

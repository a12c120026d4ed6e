#pragma once
// Samples kept by `ci-bench time --save NAME` and read back by `--baseline NAME`. One check serves
// both sides, so that what the loader would refuse is never written.
#include "wallclock/wall_clock.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cibench {

// Why these samples cannot be a baseline: fewer than kMinSamples, a value that is not a finite
// non-negative number, fewer than one iteration a sample. Empty when they can.
std::string saved_samples_problem(const std::vector<double>& ns_per_iteration, long long iterations);

struct SavedSamples {
  std::string name;                                 // as given to --save
  std::filesystem::path file;
  std::map<std::string, TimedBenchmark> benchmarks; // fit to compare with
  std::map<std::string, std::string> skipped;       // benchmark name -> why it is not compared
};

// Writes, atomically, every benchmark that timed without error and has no problem. Returns those
// left out for a problem, with the reason (timing already refuses them, so this stays empty
// unless that check and this one drift apart).
std::map<std::string, std::string> save_samples(const std::filesystem::path& file, const std::string& name,
                                                const std::vector<TimedBenchmark>& timed);

// Throws Error naming the file when it is missing, is not JSON, or is not this format. A bad entry
// (written by an older ci-bench, or edited) is skipped with its reason: the others still compare.
SavedSamples load_samples(const std::filesystem::path& file, const std::string& name);

} // namespace cibench

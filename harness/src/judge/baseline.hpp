#pragma once
// Baseline files: baselines/<escaped name>.json, one per benchmark, committed with the code.
#include "measure/fingerprint.hpp"
#include "valgrind/metrics.hpp"

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
  Fingerprint fingerprint;
  std::map<std::string, std::int64_t> functions; // self instructions of the top functions, "file:function"
};

// nullopt when there is no file for this benchmark. Throws Error naming the file when it exists
// but cannot be read, is not JSON, or is not a baseline of this schema.
std::optional<Baseline> load_baseline(const std::filesystem::path& dir, const std::string& benchmark);

// Writes atomically, creating `dir` if needed; keys sorted, one per line, for readable diffs.
void save_baseline(const std::filesystem::path& dir, const Baseline& baseline);

// Benchmark names of the baseline files in `dir` (read from each file; the file name when unreadable).
std::vector<std::string> baseline_names(const std::filesystem::path& dir);

} // namespace cibench

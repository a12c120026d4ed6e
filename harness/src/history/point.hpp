#pragma once
// One point of the history: a run (or an imported results.json, or a commit of the baselines) at
// one commit, with every benchmark's status and counts. What recording writes and importing builds.
#include "judge/allocation_sites.hpp"
#include "measure/commit.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct BenchmarkPoint {
  std::string name;
  std::string status;                              // results.json's word; "baseline" from git history
  std::map<std::string, std::int64_t> metrics;
  std::map<std::string, std::int64_t> functions;   // top self instruction costs, "file:function"
  AllocationSites allocation_sites;                // heap = true: the top sites (top_allocation_sites)
};

struct HistoryPoint {
  CommitInfo commit;
  std::string config;      // the config's name relative to the repository: same commit + config + branch replaces
  std::string source;      // "run", "results.json" or "git"
  std::int64_t recorded_at = 0;
  std::string toolchain;   // JSON text, results.json's "fingerprint"
  std::vector<BenchmarkPoint> benchmarks;
};

} // namespace cibench

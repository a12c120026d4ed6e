#pragma once
// `ci-bench merge`: the results of `run --shard K/N`, K = 1..N, put back together into what one
// unsharded run of the same commit would have written (apart from timings): results.json, the
// terminal summary and the exit status.
#include <filesystem>
#include <string>
#include <vector>

namespace cibench {

struct MergeOptions {
  std::vector<std::string> inputs; // results folders or results.json files
  std::filesystem::path out = "build/ci-bench";
};

// Returns the exit status of the whole run. Throws Error naming the file when the shards do not
// fit together: different commits, configs, toolchains or benchmark lists, or a shard missing,
// given twice, or that did not finish.
int merge_results(const MergeOptions& options);

} // namespace cibench

#pragma once
// --shard K/N: one part of the plan, for one job of a CI matrix. Every benchmark lands in exactly
// one shard, the same one on every machine (the split depends only on the plan and the committed
// baselines), and the shards cost about the same: each benchmark weighs what measuring it took
// when its baseline was recorded.
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct ShardSpec {
  int index = 1; // K, from 1
  int count = 1; // N
};

// "2/3" -> {2, 3}. Throws Error(config) unless 1 <= K <= N (N at most 1000).
ShardSpec parse_shard(const std::string& text);

// The shard (1..count) of each benchmark, given what each cost (seconds; nullopt when unknown:
// it then weighs the median of the known costs). Longest first, each to the lightest shard so far.
std::vector<int> assign_shards(const std::vector<std::optional<double>>& costs, int count);

} // namespace cibench

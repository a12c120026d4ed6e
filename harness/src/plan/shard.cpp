#include "plan/shard.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <numeric>

namespace cibench {

ShardSpec parse_shard(const std::string& text) {
  ShardSpec s;
  const auto slash = text.find('/');
  const auto number = [&](std::string_view part, int& into) {
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), into);
    return ec == std::errc() && end == part.data() + part.size();
  };
  if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), s.index) ||
      !number(std::string_view(text).substr(slash + 1), s.count) || s.count < 1 || s.count > 1000 || s.index < 1 ||
      s.index > s.count)
    throw Error(ErrorKind::config,
                fmt::format("--shard '{}' must be K/N with 1 <= K <= N <= 1000, like 2/3 (the second of three parts)", text));
  return s;
}

std::vector<int> assign_shards(const std::vector<std::optional<double>>& costs, int count) {
  std::vector<double> known;
  for (auto& c : costs)
    if (c) known.push_back(*c);
  double fallback = 1.0;
  if (!known.empty()) {
    std::nth_element(known.begin(), known.begin() + static_cast<long>(known.size() / 2), known.end());
    fallback = known[known.size() / 2];
  }
  std::vector<size_t> order(costs.size());
  std::iota(order.begin(), order.end(), 0);
  const auto weight = [&](size_t i) { return costs[i].value_or(fallback); };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return weight(a) > weight(b); });
  std::vector<double> load(static_cast<size_t>(count), 0.0);
  std::vector<int> shard(costs.size(), 1);
  for (size_t i : order) {
    const auto lightest = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[lightest] += weight(i);
    shard[i] = static_cast<int>(lightest) + 1;
  }
  return shard;
}

} // namespace cibench

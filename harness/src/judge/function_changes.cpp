#include "judge/function_changes.hpp"

#include <algorithm>
#include <cstdlib>

namespace cibench {

std::vector<FunctionChange> top_function_changes(const FunctionInstructions& before, const FunctionInstructions& after,
                                                 bool before_complete, size_t limit) {
  std::vector<FunctionChange> all;
  for (auto& [name, count] : before) all.push_back({name, count, after.count(name) ? after.at(name) : 0, false, {}});
  const std::optional<std::int64_t> floor = floor_of_kept(before, before_complete);
  for (auto& [name, count] : after)
    if (!before.count(name)) {
      if (before_complete) all.push_back({name, 0, count, false, {}});
      else if (floor && count > *floor) all.push_back({name, *floor, count, true, {}});
    }
  std::erase_if(all, [](auto& c) { return c.change() == 0; });
  std::sort(all.begin(), all.end(), [](auto& a, auto& b) {
    return std::llabs(a.change()) != std::llabs(b.change()) ? std::llabs(a.change()) > std::llabs(b.change())
                                                            : a.function < b.function;
  });
  std::int64_t net = 0;
  for (auto& c : all) net += c.change();
  std::vector<FunctionChange> shown;
  std::int64_t explained = 0;
  for (auto& c : all) {
    if (shown.size() == limit) break;
    // Stop once the shown changes account for 90 % of the net change (and at least one is shown).
    if (!shown.empty() && net != 0 && std::llabs(net - explained) * 10 <= std::llabs(net)) break;
    shown.push_back(c);
    explained += c.change();
  }
  return shown;
}

std::optional<std::int64_t> floor_of_kept(const FunctionInstructions& kept, bool complete) {
  if (complete || kept.empty()) return std::nullopt;
  std::int64_t smallest = std::llabs(kept.begin()->second);
  for (auto& [name, count] : kept) smallest = std::min<std::int64_t>(smallest, std::llabs(count));
  return smallest;
}

FunctionInstructions top_functions(const FunctionInstructions& all, double coverage, size_t limit) {
  std::vector<std::pair<std::string, std::int64_t>> sorted(all.begin(), all.end());
  std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) {
    return std::llabs(a.second) != std::llabs(b.second) ? std::llabs(a.second) > std::llabs(b.second) : a.first < b.first;
  });
  std::int64_t total = 0;
  for (auto& [name, count] : sorted) total += std::llabs(count);
  FunctionInstructions kept;
  std::int64_t covered = 0;
  for (auto& [name, count] : sorted) {
    if (kept.size() == limit || static_cast<double>(covered) >= coverage * static_cast<double>(total)) break;
    kept[name] = count;
    covered += std::llabs(count);
  }
  return kept;
}

KeptFunctions keep_top_functions(const FunctionInstructions& all, double coverage, size_t limit) {
  FunctionInstructions kept = top_functions(all, coverage, limit);
  const bool complete = kept.size() == all.size();
  return {std::move(kept), complete};
}

} // namespace cibench

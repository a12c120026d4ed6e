#include "judge/comparison.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace cibench {

std::vector<ComparisonResult> compare(const std::vector<Comparison>& declared, const std::map<std::string, Metrics>& measured,
                                      const std::vector<std::string>& planned) {
  std::vector<ComparisonResult> out;
  auto is_planned = [&](const std::string& n) { return std::find(planned.begin(), planned.end(), n) != planned.end(); };
  for (auto& c : declared) {
    if (!is_planned(c.baseline) && !is_planned(c.candidate)) continue;
    ComparisonResult r{c, {}, {}};
    auto base = measured.find(c.baseline), cand = measured.find(c.candidate);
    for (auto* side : {&c.baseline, &c.candidate})
      if (!measured.count(*side))
        r.error += fmt::format("{}'{}' {}", r.error.empty() ? "" : "; ", *side,
                               is_planned(*side) ? "was not measured (error or wall-clock only)" : "is not a benchmark of this run");
    if (r.error.empty())
      for (auto& [metric, b] : base->second)
        if (auto it = cand->second.find(metric); it != cand->second.end() && b != 0)
          r.ratio[metric] = static_cast<double>(it->second) / static_cast<double>(b);
    out.push_back(std::move(r));
  }
  return out;
}

} // namespace cibench

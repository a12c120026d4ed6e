#include "history/trend.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace cibench {

Trend trend_of(const std::vector<std::optional<std::int64_t>>& values, const TrendRule& rule) {
  std::vector<double> present;
  for (auto& v : values)
    if (v) present.push_back(static_cast<double>(*v));
  Trend t;
  t.points = static_cast<int>(present.size());
  for (size_t i = 1; i < present.size(); ++i)
    if (present[i - 1] > 0) t.largest_step_pct = std::max(t.largest_step_pct, (present[i] / present[i - 1] - 1) * 100);
  if (present.size() >= 2 && present.front() == 0 && present.back() > 0) {
    t.from_zero = true;
    t.arrow = Arrow::declining;
  }
  if (present.size() < 2 || present.front() <= 0) return t;
  const double change = (present.back() / present.front() - 1) * 100;
  t.change_pct = change;
  t.arrow = change > rule.stable_pct ? Arrow::declining : change < -rule.stable_pct ? Arrow::improving : Arrow::stable;
  t.drifting = change > rule.drift_pct;
  t.each_step_under_warn = t.largest_step_pct <= rule.warn_pct;
  return t;
}

std::string change_text(const Trend& t, int decimals) {
  if (t.from_zero) return "from 0";
  return t.change_pct ? fmt::format("{:+.{}f} %", *t.change_pct, decimals) : "";
}

std::string_view arrow_symbol(Arrow arrow) {
  switch (arrow) {
  case Arrow::improving: return "↑";
  case Arrow::declining: return "↓";
  default: return "→";
  }
}

std::string_view arrow_word(Arrow arrow) {
  switch (arrow) {
  case Arrow::improving: return "improving";
  case Arrow::declining: return "declining";
  default: return "stable";
  }
}

} // namespace cibench

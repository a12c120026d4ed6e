#pragma once
// One metric over commits as an inline SVG line chart, drawn here so that the board needs no
// script or library: each point's <title> is what hovering shows, warn and fail points are marked.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct ChartPoint {
  std::optional<std::int64_t> value; // none: the benchmark was not in that run (a gap)
  std::string hover;                 // outside text: escaped by the chart
  std::string mark;                  // "", "warn" or "fail": a regression that point's gate saw
};

struct ChartSize {
  int width = 720;
  int height = 170;
  bool axes = true;  // value labels and the first and last commit; a sparkline has none
  bool hover = true; // a hover target per point (else only the marked points have one)
};

// 12345678 -> "12 345 678", as the README writes counts.
std::string grouped(std::int64_t value);

// `label` names the chart for assistive technology and tests (escaped here).
std::string svg_chart(const std::vector<ChartPoint>& points, const std::string& label, const ChartSize& size);

} // namespace cibench

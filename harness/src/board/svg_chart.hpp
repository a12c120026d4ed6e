#pragma once
// One metric over commits as an inline SVG line chart, drawn here so that the board needs no
// library. The line is drawn at the chart's width: where several points fall in one column of two
// pixels, only their lowest and highest are kept, so a spike stays visible however many points
// there are; then vertices that add nothing to the eye (within 0.2 px of a straight line, as on a
// flat stretch) are dropped. Warn and fail points are marked. What hovering shows is the page's business (one
// script per page, board.cpp): the chart says where its slots are, in data-left, data-plot-width
// and data-slots (slot i is at x = left + plot_width * i / (slots - 1)).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cibench {

struct ChartPoint {
  std::optional<std::int64_t> value; // none: no count at that point (a gap in the line)
  std::string_view mark;             // "", "warn" or "fail": a regression that point's gate saw
};

// A label under the time axis at one slot: a commit and its date, a link when href is set.
struct AxisTick {
  size_t slot = 0;
  std::string text;
  std::string href; // "" no link
};

struct ChartSize {
  int width = 720;
  int height = 170;
  bool axes = true;  // value labels and the time axis; a sparkline has none
  std::optional<int> series; // set: the chart answers hovering, from this series of the page's data
  std::vector<AxisTick> ticks; // under the time axis; none: "oldest" and "newest"
};

// 12345678 -> "12 345 678", as the README writes counts.
std::string grouped(std::int64_t value);

// `label` names the chart for assistive technology and tests (escaped here).
std::string svg_chart(const std::vector<ChartPoint>& points, const std::string& label, const ChartSize& size);

} // namespace cibench

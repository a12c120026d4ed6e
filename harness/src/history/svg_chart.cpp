#include "history/svg_chart.hpp"

#include "util/html_escape.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace cibench {
std::string grouped(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

std::string svg_chart(const std::vector<ChartPoint>& points, const std::string& label, const ChartSize& size) {
  const double left = size.axes ? 96 : 4, right = 8, top = 10, bottom = size.axes ? 24 : 4;
  const double plot_w = size.width - left - right, plot_h = size.height - top - bottom;
  std::int64_t low = 0, high = 0;
  bool any = false;
  for (auto& p : points)
    if (p.value) {
      low = any ? std::min(low, *p.value) : *p.value;
      high = any ? std::max(high, *p.value) : *p.value;
      any = true;
    }
  const double span = high > low ? static_cast<double>(high - low) : std::max(1.0, std::abs(static_cast<double>(high)) * 0.01);
  const double base = high > low ? static_cast<double>(low) : static_cast<double>(low) - span / 2;
  const auto x = [&](size_t i) { return left + (points.size() > 1 ? plot_w * static_cast<double>(i) / static_cast<double>(points.size() - 1) : plot_w / 2); };
  // A margin inside the frame, so the highest and lowest points are not drawn on it.
  const double pad = plot_h * 0.08;
  const auto y = [&](std::int64_t v) { return top + plot_h - pad - (plot_h - 2 * pad) * (static_cast<double>(v) - base) / span; };

  std::string svg = fmt::format(R"(<svg class="chart" data-points="{}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">)",
                                std::count_if(points.begin(), points.end(), [](auto& p) { return p.value.has_value(); }),
                                size.width, size.height, size.width, size.height, html_escape(label));
  svg += fmt::format(R"(<rect class="plot" x="{}" y="{}" width="{}" height="{}"/>)", left, top, plot_w, plot_h);
  if (size.axes && any) {
    svg += fmt::format(R"(<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>)", left - 6, top + pad + 4, grouped(high));
    svg += fmt::format(R"(<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>)", left - 6, top + plot_h - pad + 4, grouped(low));
    svg += fmt::format(R"(<text class="axis" x="{}" y="{}">oldest</text>)", left, size.height - 6);
    svg += fmt::format(R"(<text class="axis" x="{}" y="{}" text-anchor="end">newest ({} points)</text>)", left + plot_w,
                       size.height - 6, points.size());
  }
  std::string line;
  for (size_t i = 0; i < points.size(); ++i)
    if (points[i].value) line += fmt::format("{}{:.1f},{:.1f}", line.empty() ? "" : " ", x(i), y(*points[i].value));
  svg += fmt::format(R"(<polyline class="series" points="{}"/>)", line);
  // Hover targets: wide enough to find with a mouse, invisible unless marked.
  const double radius = std::clamp(plot_w / static_cast<double>(std::max<size_t>(points.size(), 1)) / 2, 2.0, 5.0);
  for (size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    if (!p.value || (!size.hover && p.mark.empty())) continue;
    svg += fmt::format(R"(<circle class="point{}" cx="{:.1f}" cy="{:.1f}" r="{:.1f}"><title>{}</title></circle>)",
                       p.mark.empty() ? "" : " " + p.mark, x(i), y(*p.value), p.mark.empty() ? radius : std::max(radius, 3.5),
                       html_escape(p.hover));
  }
  return svg + "</svg>";
}

} // namespace cibench

#include "board/svg_chart.hpp"

#include "util/plural.hpp"

#include "util/html_escape.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

namespace cibench {
namespace {

// "123.4": a coordinate in tenths of a pixel, written as two integers (quicker than formatting a
// double, for the hundreds of thousands of vertices of a board).
void append_tenths(fmt::memory_buffer& out, double v) {
  const long long tenths = std::llround(v * 10);
  if (tenths < 0) out.push_back('-');
  const fmt::format_int whole(std::llabs(tenths) / 10);
  out.append(whole.data(), whole.data() + whole.size());
  out.push_back('.');
  out.push_back(static_cast<char>('0' + std::llabs(tenths) % 10));
}

void append_point(fmt::memory_buffer& out, double x, double y) {
  if (out.size()) out.push_back(' ');
  append_tenths(out, x);
  out.push_back(',');
  append_tenths(out, y);
}

struct Vertex {
  double x, y;
};

// Without the vertices that lie within kTolerancePx (vertically) of the line between the vertices
// kept around them: a flat stretch or a steady slope of any length is two vertices, a step four,
// while a spike is kept. What a browser draws is the same to the eye, and much quicker: the time
// Chromium takes grows with the vertices of a page. At most kLookback vertices are skipped in a
// row, which bounds the work.
std::vector<Vertex> simplified(const std::vector<Vertex>& all) {
  constexpr double kTolerancePx = 0.2;
  constexpr size_t kLookback = 64;
  if (all.size() < 3) return all;
  std::vector<Vertex> kept{all.front()};
  size_t anchor = 0;
  for (size_t i = 2; i < all.size(); ++i) {
    const Vertex &a = all[anchor], &c = all[i];
    bool fits = i - anchor <= kLookback;
    for (size_t k = anchor + 1; fits && k < i; ++k) {
      const double t = c.x > a.x ? (all[k].x - a.x) / (c.x - a.x) : 0;
      fits = std::abs(a.y + t * (c.y - a.y) - all[k].y) <= kTolerancePx;
    }
    if (!fits) {
      kept.push_back(all[i - 1]);
      anchor = i - 1;
    }
  }
  kept.push_back(all.back());
  return kept;
}

} // namespace

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
  size_t present = 0;
  for (auto& p : points)
    if (p.value) {
      low = present ? std::min(low, *p.value) : *p.value;
      high = present ? std::max(high, *p.value) : *p.value;
      ++present;
    }
  const double span = high > low ? static_cast<double>(high - low) : std::max(1.0, std::abs(static_cast<double>(high)) * 0.01);
  const double base = high > low ? static_cast<double>(low) : static_cast<double>(low) - span / 2;
  const auto x = [&](size_t i) { return left + (points.size() > 1 ? plot_w * static_cast<double>(i) / static_cast<double>(points.size() - 1) : plot_w / 2); };
  // A margin inside the frame, so the highest and lowest points are not drawn on it.
  const double pad = plot_h * 0.08;
  const auto y = [&](std::int64_t v) { return top + plot_h - pad - (plot_h - 2 * pad) * (static_cast<double>(v) - base) / span; };
  // Two pixels per column: half the vertices of one, the same line to the eye.
  constexpr int kColumnPx = 2;
  const int columns = std::max(1, static_cast<int>(plot_w) / kColumnPx);
  const auto column = [&](size_t i) { return std::clamp(static_cast<int>((x(i) - left) / kColumnPx), 0, columns - 1); };

  std::string svg = fmt::format(R"(<svg class="chart" data-points="{}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}")",
                                present, size.width, size.height, size.width, size.height, html_escape(label));
  if (size.series)
    svg += fmt::format(R"( data-series="{}" data-left="{}" data-plot-width="{}" data-slots="{}")", *size.series, left, plot_w,
                       points.size());
  svg += fmt::format(R"(><rect class="plot" x="{}" y="{}" width="{}" height="{}"/>)", left, top, plot_w, plot_h);
  if (size.axes && present) {
    svg += fmt::format(R"(<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>)", left - 6, top + pad + 4, grouped(high));
    svg += fmt::format(R"(<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>)", left - 6, top + plot_h - pad + 4, grouped(low));
    if (size.ticks.empty()) {
      svg += fmt::format(R"(<text class="axis" x="{}" y="{}">oldest</text>)", left, size.height - 6);
      svg += fmt::format(R"(<text class="axis" x="{}" y="{}" text-anchor="end">newest ({})</text>)", left + plot_w,
                         size.height - 6, counted(points.size(), "point"));
    }
  }
  for (auto& tick : size.ticks) {
    if (tick.slot >= points.size()) continue;
    const double at = x(tick.slot);
    const char* anchor = at < left + 60 ? "start" : at > left + plot_w - 60 ? "end" : "middle";
    svg += fmt::format(R"(<line class="tick" x1="{0:.1f}" x2="{0:.1f}" y1="{1}" y2="{2}"/>)", at, top + plot_h, top + plot_h + 4);
    const std::string text = fmt::format(R"(<text class="axis" x="{:.1f}" y="{}" text-anchor="{}">{}</text>)", at,
                                         size.height - 6, anchor, html_escape(tick.text));
    svg += tick.href.empty() ? text : fmt::format(R"(<a href="{}">{}</a>)", html_escape(tick.href), text);
  }
  // Per column of kColumnPx pixels, its lowest and highest value, in the order they came.
  std::vector<Vertex> vertices;
  int at = -1;
  size_t lowest = 0, highest = 0;
  const auto flush = [&] {
    if (at < 0) return;
    const size_t first = std::min(lowest, highest), second = std::max(lowest, highest);
    vertices.push_back({x(first), y(*points[first].value)});
    if (second != first) vertices.push_back({x(second), y(*points[second].value)});
  };
  for (size_t i = 0; i < points.size(); ++i) {
    if (!points[i].value) continue;
    if (column(i) != at) {
      flush();
      at = column(i);
      lowest = highest = i;
    } else if (*points[i].value < *points[lowest].value) {
      lowest = i;
    } else if (*points[i].value > *points[highest].value) {
      highest = i;
    }
  }
  flush();
  // The line ends at the newest point, whatever its column held.
  const auto newest = std::find_if(points.rbegin(), points.rend(), [](auto& p) { return p.value.has_value(); });
  if (newest != points.rend() && std::max(lowest, highest) != static_cast<size_t>(points.rend() - newest - 1)) {
    const size_t i = static_cast<size_t>(points.rend() - newest - 1);
    vertices.push_back({x(i), y(*points[i].value)});
  }
  fmt::memory_buffer line;
  for (auto& v : simplified(vertices)) append_point(line, v.x, v.y);
  svg += R"(<polyline class="series" points=")";
  svg.append(line.data(), line.size());
  svg += R"("/>)";
  // One point makes no line: a dot in the line's colour shows it.
  if (vertices.size() == 1)
    svg += fmt::format(R"(<circle class="point only" cx="{:.1f}" cy="{:.1f}" r="3"/>)", vertices[0].x, vertices[0].y);
  // One mark per column: a fail before a warn.
  std::map<int, size_t> marked;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!points[i].value || points[i].mark.empty()) continue;
    auto [it, fresh] = marked.emplace(column(i), i);
    if (!fresh && points[i].mark == "fail" && points[it->second].mark != "fail") it->second = i;
  }
  for (auto& [col, i] : marked)
    svg += fmt::format(R"(<circle class="point {}" cx="{:.1f}" cy="{:.1f}" r="3.5"/>)", points[i].mark, x(i), y(*points[i].value));
  if (size.series)
    svg += fmt::format(R"(<line class="cursor" x1="{0}" x2="{0}" y1="{1}" y2="{2}" visibility="hidden"/>)", left, top, top + plot_h);
  return svg + "</svg>";
}

} // namespace cibench

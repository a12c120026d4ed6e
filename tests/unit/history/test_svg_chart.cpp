#include "board/svg_chart.hpp"

#include <boost/test/unit_test.hpp>
#include <regex>
#include <sstream>

using namespace cibench;

namespace {

// The polyline's vertices, as (x, y).
std::vector<std::pair<double, double>> vertices(const std::string& svg) {
  std::smatch m;
  BOOST_REQUIRE(std::regex_search(svg, m, std::regex(R"(<polyline class="series" points="([^"]*)\")")));
  std::vector<std::pair<double, double>> out;
  std::istringstream in(m[1].str());
  std::string pair;
  while (in >> pair) out.emplace_back(std::stod(pair.substr(0, pair.find(','))), std::stod(pair.substr(pair.find(',') + 1)));
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(svg_chart_drawing)

BOOST_AUTO_TEST_CASE(few_points_are_drawn_each_at_its_place) {
  const std::string svg = svg_chart({{100, ""}, {std::nullopt, ""}, {300, "fail"}}, "b m", {.width = 212, .height = 100, .axes = false, .series = std::nullopt, .ticks = {}});
  const auto v = vertices(svg);
  BOOST_REQUIRE(v.size() == 2u); // the gap is no vertex
  BOOST_TEST(v[0].first == 4.0);
  BOOST_TEST(v[1].first == 204.0);
  BOOST_TEST(v[0].second > v[1].second); // higher values are drawn higher up
  BOOST_TEST(svg.find(R"(data-points="2")") != std::string::npos);
  BOOST_TEST(svg.find(R"(<circle class="point fail" cx="204.0")") != std::string::npos);
  BOOST_TEST(svg.find("data-series") == std::string::npos); // no hover asked for
}

// 100,000 points on a 200-pixel-wide plot: two vertices per pixel column at most, and a one-point
// spike among flat values is still its top.
// A polyline of one vertex draws nothing: a benchmark's first point is a dot.
BOOST_AUTO_TEST_CASE(one_point_is_drawn_as_a_dot) {
  const std::string svg = svg_chart({{std::nullopt, ""}, {500, ""}}, "b m", {.width = 212, .height = 100, .axes = true, .series = std::nullopt, .ticks = {}});
  BOOST_REQUIRE(vertices(svg).size() == 1u);
  BOOST_TEST(svg.find(R"(<circle class="point only" cx="204.0")") != std::string::npos);
  BOOST_TEST(svg.find("newest (2 points)") != std::string::npos);
  const std::string two = svg_chart({{400, ""}, {500, ""}}, "b m", {.width = 212, .height = 100, .axes = false, .series = std::nullopt, .ticks = {}});
  BOOST_TEST(two.find("point only") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(many_points_are_drawn_at_the_pixel_width_keeping_spikes) {
  std::vector<ChartPoint> points(100'000, ChartPoint{1000, ""});
  points[54'321].value = 2000;
  points[70'000].mark = "warn";
  points[70'001].mark = "fail";
  points[70'002].mark = "warn";
  const std::string svg = svg_chart(points, "spiky", {.width = 212, .height = 100, .axes = false, .series = std::nullopt, .ticks = {}});
  const auto v = vertices(svg);
  BOOST_TEST(v.size() <= 8u); // flat, up to the spike and down, flat: the rest adds nothing
  const auto top = std::min_element(v.begin(), v.end(), [](auto& a, auto& b) { return a.second < b.second; });
  BOOST_TEST(top->second < v.front().second - 50); // the spike reaches far above the flat line
  BOOST_TEST(std::abs(top->first - (4 + 200.0 * 54'321 / 99'999)) < 0.1);
  // Three marked points in one pixel column: one mark, the fail.
  const std::regex circle("<circle ");
  BOOST_TEST(std::distance(std::sregex_iterator(svg.begin(), svg.end(), circle), std::sregex_iterator()) == 1);
  BOOST_TEST(svg.find(R"(class="point fail")") != std::string::npos);
  BOOST_TEST(svg.find(R"(data-points="100000")") != std::string::npos);
}

// Noise in every column: two vertices per column of two pixels at most, its lowest and highest.
BOOST_AUTO_TEST_CASE(noise_is_drawn_at_most_twice_per_column_keeping_its_extremes) {
  std::vector<ChartPoint> points;
  for (std::int64_t i = 0; i < 10'000; ++i) points.push_back({1000 + (i * 7919) % 1000, ""});
  const auto v = vertices(svg_chart(points, "noisy", {.width = 212, .height = 100, .axes = false, .series = std::nullopt, .ticks = {}}));
  BOOST_TEST(v.size() <= 2u * 100u + 1u); // and the newest point
  BOOST_TEST(v.size() > 150u);
  const auto [low, high] = std::minmax_element(v.begin(), v.end(), [](auto& a, auto& b) { return a.second < b.second; });
  BOOST_TEST(high->second - low->second > 70); // the full range of the values is drawn
}

// A steady slope and a step: their corners, and nothing between.
BOOST_AUTO_TEST_CASE(straight_stretches_are_their_ends) {
  std::vector<ChartPoint> points;
  for (std::int64_t i = 0; i < 5000; ++i) points.push_back({1000 + i, ""});
  for (std::int64_t i = 0; i < 5000; ++i) points.push_back({9000, ""});
  const auto v = vertices(svg_chart(points, "ramp then flat", {.width = 212, .height = 100, .axes = false, .series = std::nullopt, .ticks = {}}));
  BOOST_TEST(v.size() <= 6u);
  BOOST_TEST(v.front().first == 4.0);
  BOOST_TEST(v.back().first == 204.0);
}

BOOST_AUTO_TEST_CASE(a_hover_chart_says_where_its_slots_are) {
  const std::string svg = svg_chart({{1, ""}, {2, ""}}, "b m", {.width = 720, .height = 170, .axes = true, .series = 3, .ticks = {}});
  BOOST_TEST(svg.find(R"(data-series="3" data-left="96" data-plot-width="616" data-slots="2")") != std::string::npos);
  BOOST_TEST(svg.find(R"(<line class="cursor")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_time_axis_names_its_commits_and_links_them) {
  const std::vector<AxisTick> ticks = {{.slot = 0, .text = "abc1234 2026-12-01", .href = "https://example.com/c/abc1234?a=1&b=2"},
                                       {.slot = 2, .text = "<b>def", .href = ""}};
  const std::string svg = svg_chart({{1, ""}, {2, ""}, {3, ""}}, "b m", {.width = 720, .height = 170, .axes = true, .series = 0, .ticks = ticks});
  // The first at the plot's left edge, the last at its right; the link's "&" escaped, text escaped.
  BOOST_TEST(svg.find(R"(<a href="https://example.com/c/abc1234?a=1&amp;b=2"><text class="axis" x="96.0" y="164" text-anchor="start">abc1234 2026-12-01</text></a>)") !=
             std::string::npos);
  BOOST_TEST(svg.find(R"(<text class="axis" x="712.0" y="164" text-anchor="end">&lt;b&gt;def</text>)") != std::string::npos);
  BOOST_TEST(svg.find("oldest") == std::string::npos); // the ticks replace "oldest" and "newest"
  BOOST_TEST(svg.find("<b>") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(labels_from_outside_are_escaped) {
  const std::string svg = svg_chart({{1, ""}}, "<script>\"x\"", {});
  BOOST_TEST(svg.find("<script>") == std::string::npos);
  BOOST_TEST(svg.find("&lt;script&gt;") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

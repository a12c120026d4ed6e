#pragma once
// The andon board: a static site (index.html and one page per benchmark under b/) that works from
// file:// and from GitHub Pages with nothing loaded from elsewhere: inline SVG, CSS and script.
//   index.html  a tile per benchmark: red (latest fail or error), yellow (warn, incomparable,
//               nondeterministic, or drifting), green; the trend arrow and change of the trend
//               metric over the window, and its sparkline (no script)
//   b/NAME.html a chart per metric over commits, warn and fail points marked; one inline script
//               shows the commit under the mouse, from the page's data (one JSON element)
// Charts are drawn at their pixel width (svg_chart.hpp), so a page's size grows with its points
// only by their data: 100 benchmarks x 1,000 points make 21 MB.
#include "history/query.hpp"
#include "history/trend.hpp"

#include <filesystem>
#include <string>

namespace cibench {

struct BoardOptions {
  std::string title = "ci-bench board";
  std::string trend_metric = "instructions";
  int trend_window = 20;   // the last points the arrow and drift are told over
  TrendRule rule;
  std::string source;      // what the pages say they were built from (the history file's name)
};

// Writes the site into `out` (created), each file atomically. Returns the number of files written.
int write_board(const HistoryWindow& window, const BoardOptions& options, const std::filesystem::path& out);

} // namespace cibench

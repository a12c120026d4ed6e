#pragma once
// The andon board: a static site (index.html and one page per benchmark under b/) that works from
// file:// and from GitHub Pages with nothing loaded from elsewhere: no script, inline SVG and CSS.
//   index.html  a tile per benchmark: red (latest fail or error), yellow (warn, incomparable,
//               nondeterministic, or drifting), green; the trend arrow and change of the trend
//               metric over the window, and its sparkline
//   b/NAME.html a chart per metric over commits, the commit on hover, warn and fail points marked
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

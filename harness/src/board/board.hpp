#pragma once
// The andon board: a static site (index.html and one page per benchmark under b/) that works from
// file:// and from GitHub Pages with nothing loaded from elsewhere: inline SVG, CSS and script.
//   index.html  a tile per benchmark, grouped by the first part of its name (before '.' or '/'):
//               red (latest fail or error), yellow (warn, incomparable, nondeterministic, or
//               drifting), green; it leads with its main metric (the registry's primary one it has,
//               or --metric): latest value, trend arrow and change over the window, sparkline
//   b/NAME.html the main metric first, then the others with the registry's labels, a chart each
//               over commits (commits and dates on the axis, linked to the commit when a commit
//               URL is known), warn and fail points marked; Valgrind's raw events in a closed
//               section below; one inline script shows the commit under the mouse
// Charts are drawn at their pixel width (svg_chart.hpp), so a page's size grows with its points
// only by their data: 100 benchmarks x 1,000 points make 21 MB.
#include "history/query.hpp"
#include "history/trend.hpp"

#include <filesystem>
#include <map>
#include <string>

namespace cibench {

struct BoardOptions {
  std::string title = "ci-bench board";
  std::string trend_metric; // "": each benchmark's main metric (the registry's primary one it has)
  int trend_window = 20;   // the last points the arrow and drift are told over
  TrendRule rule;          // its warn_pct where warn_pct_by_metric names no other
  std::map<std::string, double> warn_pct_by_metric;
  std::string source;      // what the pages say they were built from (the history file's name)
  std::string commit_url;  // "https://github.com/OWNER/NAME/commit/{sha}", or "": commits are not links
};

// Writes the site into `out` (created), each file atomically. Returns the number of files written.
int write_board(const HistoryWindow& window, const BoardOptions& options, const std::filesystem::path& out);

} // namespace cibench

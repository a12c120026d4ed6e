#pragma once
// `ci-bench history show`: a window of the history as a table per benchmark (values, steps, the
// trend arrow, drift), or as JSON for scripts. With one benchmark shown, the table adds its top
// functions and allocation sites at the window's first and latest point; the JSON always has them.
#include "history/query.hpp"
#include "history/trend.hpp"

#include <fmt/format.h>
#include <string>

namespace cibench {

struct ShowSettings {
  std::string history_name; // the file, as the output names it
  std::string branch;       // "" every branch
  int last = 20;            // the window asked for
  std::string metric;       // the metric the trend and drift are told of
  TrendRule rule;
};

// Appended to `out`. `db` is read for the costs; `window` holds every metric (JSON) or
// `settings.metric` alone (table).
void history_table(Database& db, const HistoryWindow& window, const ShowSettings& settings, fmt::memory_buffer& out);
void history_json(Database& db, const HistoryWindow& window, const ShowSettings& settings, fmt::memory_buffer& out);

} // namespace cibench

#include "app/history_show.hpp"

#include "history/commit_info.hpp"
#include "util/plural.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <iterator>
#include <nlohmann/json.hpp>

namespace cibench {
using nlohmann::json;

namespace {

using Out = std::back_insert_iterator<fmt::memory_buffer>;

std::string json_text(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

const Column& column_of(const BenchmarkHistory& b, const std::string& metric) {
  static const Column none;
  const auto it = b.metrics.find(metric);
  return it == b.metrics.end() ? none : it->second;
}

// The first and the latest point of the window the benchmark was in.
std::optional<std::pair<size_t, size_t>> presence(const BenchmarkHistory& b) {
  const auto first = std::find_if(b.status.begin(), b.status.end(), [](auto& s) { return s.has_value(); });
  if (first == b.status.end()) return std::nullopt;
  const auto latest = std::find_if(b.status.rbegin(), b.status.rend(), [](auto& s) { return s.has_value(); });
  return std::pair{static_cast<size_t>(first - b.status.begin()), static_cast<size_t>(b.status.rend() - latest - 1)};
}

std::string short_commit(const HistoryRun& run) { return run.commit.empty() ? "-" : run.commit.substr(0, 12); }

std::string percent_change(std::optional<std::int64_t> before, std::optional<std::int64_t> after) {
  if (!before || !after || *before == 0) return "";
  return fmt::format("{:+.2f} %", (static_cast<double>(*after) / static_cast<double>(*before) - 1) * 100);
}

std::optional<std::int64_t> value_at(const auto& map, const std::string& key, auto value_of) {
  const auto it = map.find(key);
  return it == map.end() ? std::nullopt : std::optional<std::int64_t>(value_of(it->second));
}

std::string count_or_dash(std::optional<std::int64_t> v) { return v ? std::to_string(*v) : "-"; }

// Rows of a first-to-latest comparison: the names that changed most first, at most ten.
template <typename Map, typename ValueOf>
std::vector<std::string> most_changed(const Map& first, const Map& latest, ValueOf value_of) {
  std::vector<std::string> names;
  for (auto* map : {&first, &latest})
    for (auto& [name, v] : *map)
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  const auto size = [&](const std::string& n) {
    const auto a = value_at(first, n, value_of).value_or(0), b = value_at(latest, n, value_of).value_or(0);
    return std::pair{std::llabs(b - a), std::max(std::llabs(a), std::llabs(b))};
  };
  std::stable_sort(names.begin(), names.end(), [&](auto& a, auto& b) { return size(a) > size(b); });
  if (names.size() > 10) names.resize(10);
  return names;
}

void costs_table(Out out, Database& db, const HistoryWindow& w, const BenchmarkHistory& b) {
  const auto points = presence(b);
  if (!points) return;
  const auto& [first_at, latest_at] = *points;
  const PointCosts first = costs_at(db, w.runs[first_at].id, b.name), latest = costs_at(db, w.runs[latest_at].id, b.name);
  const std::string between = fmt::format("at the window's first point ({}) and its latest ({})", short_commit(w.runs[first_at]),
                                          short_commit(w.runs[latest_at]));
  const auto self = [](std::int64_t v) { return v; };
  if (!first.functions.empty() || !latest.functions.empty()) {
    fmt::format_to(out, "\n  Top functions, self instructions {}:\n", between);
    for (auto& name : most_changed(first.functions, latest.functions, self)) {
      const auto a = value_at(first.functions, name, self), z = value_at(latest.functions, name, self);
      fmt::format_to(out, "  {:>16}  {:>16}  {:>9}  {}\n", count_or_dash(a), count_or_dash(z), percent_change(a, z),
                     printable_line(name, 300));
    }
  }
  if (!first.allocation_sites.empty() || !latest.allocation_sites.empty()) {
    const auto total = [](const AllocationSiteBytes& s) { return s.total_bytes; };
    const auto peak = [](const AllocationSiteBytes& s) { return s.peak_bytes; };
    fmt::format_to(out, "\n  Allocation sites, bytes allocated (and live at the peak) {}:\n", between);
    for (auto& name : most_changed(first.allocation_sites, latest.allocation_sites, total)) {
      const auto a = value_at(first.allocation_sites, name, total), z = value_at(latest.allocation_sites, name, total);
      fmt::format_to(out, "  {:>16}  {:>16}  {:>9}  (peak {} -> {})  {}\n", count_or_dash(a), count_or_dash(z),
                     percent_change(a, z), count_or_dash(value_at(first.allocation_sites, name, peak)),
                     count_or_dash(value_at(latest.allocation_sites, name, peak)), printable_line(name, 300));
    }
  }
}

json costs_json(const PointCosts& costs, size_t point) {
  json sites = json::object();
  for (auto& [site, bytes] : costs.allocation_sites)
    sites[site] = {{"total_bytes", bytes.total_bytes}, {"peak_bytes", bytes.peak_bytes}};
  return {{"point", point}, {"functions", costs.functions}, {"allocation_sites", sites}};
}

json trend_json(const Trend& t, const std::string& metric) {
  return {{"metric", metric}, {"arrow", arrow_symbol(t.arrow)}, {"word", arrow_word(t.arrow)},
          {"change_pct", t.change_pct ? json(*t.change_pct) : json(nullptr)}, {"from_zero", t.from_zero}, {"points", t.points},
          {"largest_step_pct", t.largest_step_pct}, {"drifting", t.drifting}, {"each_step_under_warn", t.each_step_under_warn}};
}

} // namespace

void history_table(Database& db, const HistoryWindow& w, const ShowSettings& s, fmt::memory_buffer& buffer) {
  Out out(buffer);
  fmt::format_to(out, "{}: {} of {} (the last {} at most), {}\n", s.history_name, counted(w.runs.size(), "point"),
                 s.branch.empty() ? "every branch" : printable_line(s.branch, 200), s.last, s.metric);
  std::vector<std::string> commit, when; // per run, once: not per row
  for (auto& run : w.runs) {
    commit.push_back(short_commit(run));
    when.push_back(utc_minute(run.time));
  }
  std::vector<const BenchmarkHistory*> shown;
  for (auto& b : w.benchmarks)
    if (b.metrics.count(s.metric)) shown.push_back(&b);
  if (shown.size() < w.benchmarks.size()) // an [[artifact]] has no instructions, a plain run no heap: said, not dropped
    fmt::format_to(out, "({} without {}: `--metric` shows another metric)\n", counted(w.benchmarks.size() - shown.size(), "benchmark"),
                   s.metric);
  for (const auto* b : shown) {
    const Column& values = column_of(*b, s.metric);
    const Trend t = trend_of(values, s.rule);
    fmt::format_to(out, "\n{}  {} {}{}{}\n", printable_line(b->name, 300), arrow_symbol(t.arrow), arrow_word(t.arrow),
                   t.change_pct || t.from_zero ? fmt::format(" {} over {} points", change_text(t, 2), t.points) : "",
                   t.drifting ? fmt::format("  DRIFT past {:g} %{}", s.rule.drift_pct,
                                            t.each_step_under_warn
                                                ? fmt::format(", each step under the {:g} % warn level", s.rule.warn_pct)
                                                : fmt::format(", largest step {:+.1f} %", t.largest_step_pct))
                              : "");
    std::optional<std::int64_t> previous;
    for (size_t i = 0; i < w.runs.size(); ++i) {
      const auto& v = values[i];
      if (!v && !b->status[i]) continue;
      fmt::format_to(out, "  {:<12}  {}  {:>16}  {:>9}  {}\n", commit[i], when[i],
                     v ? format_metric_value(s.metric, *v) : "-",
                     percent_change(previous, v), printable_line(b->status[i].value_or("-"), 40));
      if (v) previous = v;
    }
  }
  if (shown.size() == 1) costs_table(out, db, w, *shown.front());
}

// Written by hand rather than as one nlohmann tree: a window of 1,000 points of 100 benchmarks has
// 1.5 million values, and one line per metric keeps the file readable and quick to write.
void history_json(Database& db, const HistoryWindow& w, const ShowSettings& s, fmt::memory_buffer& buffer) {
  // Room for it all at once: growing a buffer of millions of values copies it again and again.
  size_t values = 0;
  for (auto& b : w.benchmarks) values += (b.metrics.size() + 1) * w.runs.size();
  buffer.reserve(buffer.size() + values * 10 + w.runs.size() * 200 + w.benchmarks.size() * 4000);
  Out out(buffer);
  fmt::format_to(out, "{{\n  \"schema\": 1,\n  \"history\": {},\n  \"branch\": {},\n  \"metric\": {},\n"
                      "  \"drift_threshold_pct\": {},\n  \"warn_pct\": {},\n  \"runs\": [",
                 json_text(s.history_name), json_text(s.branch), json_text(s.metric), json_text(s.rule.drift_pct),
                 json_text(s.rule.warn_pct));
  for (size_t i = 0; i < w.runs.size(); ++i) {
    const auto& r = w.runs[i];
    fmt::format_to(out, "{}\n    {}", i ? "," : "",
                   json_text({{"commit", r.commit.empty() ? json(nullptr) : json(r.commit)}, {"parent", r.parent},
                              {"branch", r.branch}, {"time", r.time}, {"source", r.source}}));
  }
  fmt::format_to(out, "{}],\n  \"benchmarks\": [", w.runs.empty() ? "" : "\n  ");
  std::map<std::string, std::string, std::less<>> statuses; // each status word escaped once
  for (size_t k = 0; k < w.benchmarks.size(); ++k) {
    const auto& b = w.benchmarks[k];
    fmt::format_to(out, "{}\n    {{\n      \"name\": {},\n      \"status\": [", k ? "," : "", json_text(b.name));
    for (size_t i = 0; i < b.status.size(); ++i) {
      const auto& st = b.status[i];
      auto word = st ? statuses.find(*st) : statuses.end();
      if (st && word == statuses.end()) word = statuses.emplace(*st, json_text(*st)).first;
      if (i) buffer.append(std::string_view(", "));
      buffer.append(st ? std::string_view(word->second) : std::string_view("null"));
    }
    fmt::format_to(out, "],\n      \"trend\": {},\n      \"metrics\": {{", json_text(trend_json(trend_of(column_of(b, s.metric), s.rule), s.metric)));
    size_t m = 0;
    for (auto& [metric, column] : b.metrics) {
      fmt::format_to(out, "{}\n        {}: [", m++ ? "," : "", json_text(metric));
      for (size_t i = 0; i < column.size(); ++i) {
        if (i) buffer.append(std::string_view(", "));
        if (column[i]) {
          const fmt::format_int digits(*column[i]);
          buffer.append(digits.data(), digits.data() + digits.size());
        } else {
          buffer.append(std::string_view("null"));
        }
      }
      buffer.push_back(']');
    }
    fmt::format_to(out, "{}}}", m ? "\n      " : "");
    if (const auto points = presence(b)) {
      const auto& [first, latest] = *points;
      fmt::format_to(out, ",\n      \"costs\": {{\"first\": {},\n                \"latest\": {}}}",
                     json_text(costs_json(costs_at(db, w.runs[first].id, b.name), first)),
                     json_text(costs_json(costs_at(db, w.runs[latest].id, b.name), latest)));
    }
    fmt::format_to(out, "\n    }}");
  }
  fmt::format_to(out, "{}]\n}}\n", w.benchmarks.empty() ? "" : "\n  ");
}

} // namespace cibench

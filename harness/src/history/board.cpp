#include "history/board.hpp"

#include "history/commit_info.hpp"
#include "history/svg_chart.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/file_names.hpp"
#include "util/html_escape.hpp"

#include <ctime>
#include <fmt/format.h>

namespace cibench {
namespace fs = std::filesystem;
namespace {

constexpr const char* kStyle = R"css(
body{font:14px/1.4 "DejaVu Sans",system-ui,sans-serif;margin:1.5em;color:#1b1f24;background:#f6f8fa}
h1{font-size:1.4em;margin:0 0 .2em} .meta{color:#57606a;margin:0 0 1em}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:10px}
.tile{display:block;border-radius:6px;padding:8px 10px;color:#1b1f24;text-decoration:none;border:1px solid #0002}
.tile.red{background:#ffd7d5;border-left:8px solid #cf222e} .tile.yellow{background:#fff1c2;border-left:8px solid #bf8700}
.tile.green{background:#dafbe1;border-left:8px solid #1a7f37}
.tile .name{font-weight:bold;overflow-wrap:anywhere;padding-right:3.5em} .tile .status{float:right;font-size:.85em;text-transform:uppercase}
.tile .trend{font-size:1.05em} .arrow{font-size:1.3em;font-weight:bold}
.tile svg{display:block;margin-top:4px;width:100%;height:auto}
.chart .plot{fill:#fff;stroke:#d0d7de} .chart .series{fill:none;stroke:#0969da;stroke-width:1.5}
.chart .point{fill:#0969da;fill-opacity:0;stroke:none} .chart .point:hover{fill-opacity:.6}
.chart .point.warn{fill:#bf8700;fill-opacity:1} .chart .point.fail{fill:#cf222e;fill-opacity:1}
.chart .axis{font-size:11px;fill:#57606a}
.metric{margin:0 0 1.2em} .metric h2{font-size:1em;margin:0 0 .3em}
table{border-collapse:collapse;margin:0 0 1em} td,th{border:1px solid #d0d7de;padding:2px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}
.legend span{margin-right:1.2em}
)css";

std::string page(const std::string& title, const std::string& body) {
  return fmt::format("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><style>{}</style></head>\n"
                     "<body>\n{}\n</body></html>\n",
                     html_escape(title), kStyle, body);
}

// file_stem's names keep [A-Za-z0-9_.-] and %-escapes: in a URL, '%' itself must be escaped.
std::string url_of(const std::string& file) {
  std::string url;
  for (char c : file) url += c == '%' ? std::string("%25") : std::string(1, c);
  return url;
}

std::string short_sha(const std::string& sha) { return sha.empty() ? "(no commit)" : sha.substr(0, 12); }

std::string mark_of(const std::optional<std::string>& status) {
  if (status == "fail" || status == "error") return "fail";
  if (status == "warn") return "warn";
  return "";
}

std::optional<std::string> latest_status(const BenchmarkHistory& b) {
  for (auto it = b.status.rbegin(); it != b.status.rend(); ++it)
    if (*it) return *it;
  return std::nullopt;
}

std::string colour_of(const std::optional<std::string>& status, bool drifting) {
  if (status == "fail" || status == "error") return "red";
  if (status == "warn" || status == "incomparable" || status == "nondeterministic" || drifting) return "yellow";
  return "green";
}

std::vector<ChartPoint> chart_points(const HistoryWindow& w, const BenchmarkHistory& b, const Column& column) {
  std::vector<ChartPoint> points;
  for (size_t i = 0; i < w.runs.size(); ++i) {
    const auto& run = w.runs[i];
    const auto& value = i < column.size() ? column[i] : std::nullopt;
    if (!value && !b.status[i]) continue; // not in that run at all: no slot
    points.push_back({value,
                      fmt::format("{} {} on {}: {} ({})", short_sha(run.commit), utc_minute(run.time),
                                  run.branch.empty() ? "?" : run.branch, value ? std::to_string(*value) : "no count",
                                  b.status[i].value_or("absent")),
                      mark_of(b.status[i])});
  }
  return points;
}

Column trend_column(const BenchmarkHistory& b, const std::string& metric, int window) {
  auto it = b.metrics.find(metric);
  if (it == b.metrics.end()) return {};
  Column c = it->second;
  if (c.size() > static_cast<size_t>(window)) c.erase(c.begin(), c.end() - window);
  return c;
}

std::string benchmark_page(const HistoryWindow& w, const BenchmarkHistory& b, const BoardOptions& o) {
  std::string body = fmt::format("<p><a href=\"../index.html\">&larr; {}</a></p><h1>{}</h1>", html_escape(o.title),
                                 html_escape(b.name));
  body += fmt::format("<p class=\"meta\">latest status: {}. Hover a point for its commit; "
                      "<span style=\"color:#bf8700\">&#9679;</span> warn, <span style=\"color:#cf222e\">&#9679;</span> "
                      "fail or error at that commit.</p>",
                      html_escape(latest_status(b).value_or("none")));
  body += "<table><tr><th>metric</th><th>latest</th><th>trend</th><th>change over the last points</th></tr>";
  for (auto& [metric, column] : b.metrics) {
    const Trend t = trend_of(trend_column(b, metric, o.trend_window), o.rule);
    std::optional<std::int64_t> latest;
    for (auto& v : column)
      if (v) latest = v;
    body += fmt::format("<tr><td>{}</td><td>{}</td><td><span class=\"arrow\">{}</span> {}</td><td>{} ({} points)</td></tr>",
                        html_escape(metric), latest ? grouped(*latest) : "", arrow_symbol(t.arrow),
                        arrow_word(t.arrow), t.change_pct ? fmt::format("{:+.2f} %", *t.change_pct) : "", t.points);
  }
  body += "</table>";
  for (auto& [metric, column] : b.metrics) {
    if (metric == "Ir" && b.metrics.count("instructions")) continue; // the same count twice
    body += fmt::format("<section class=\"metric\" data-metric=\"{}\"><h2>{}</h2>{}</section>", html_escape(metric),
                        html_escape(metric), svg_chart(chart_points(w, b, column), b.name + " " + metric, {}));
  }
  return page(b.name + " - " + o.title, body);
}

} // namespace

int write_board(const HistoryWindow& w, const BoardOptions& o, const fs::path& out) {
  std::error_code ec;
  fs::create_directories(out / "b", ec);
  if (ec) throw Error(ErrorKind::io, fmt::format("cannot create the board folder {}: {}", (out / "b").string(), ec.message()));
  std::string tiles;
  int red = 0, yellow = 0, files = 0;
  for (auto& b : w.benchmarks) {
    const Trend t = trend_of(trend_column(b, o.trend_metric, o.trend_window), o.rule);
    const auto status = latest_status(b);
    const std::string colour = colour_of(status, t.drifting);
    red += colour == "red";
    yellow += colour == "yellow";
    const std::string file = file_stem(b.name) + ".html";
    auto column = b.metrics.find(o.trend_metric);
    const std::string spark = column == b.metrics.end()
                                  ? std::string("<p>no ") + html_escape(o.trend_metric) + " counts</p>"
                                  : svg_chart(chart_points(w, b, column->second), b.name + " " + o.trend_metric,
                                              {.width = 220, .height = 48, .axes = false, .hover = false});
    tiles += fmt::format(
        "<a class=\"tile {}\" href=\"b/{}\" data-benchmark=\"{}\" title=\"{}: {}\"><span class=\"status\">{}</span>"
        "<div class=\"name\">{}</div><div class=\"trend\"><span class=\"arrow\">{}</span> {} {}{}</div>{}</a>\n",
        colour, html_escape(url_of(file)), html_escape(b.name), html_escape(b.name), arrow_word(t.arrow),
        html_escape(status.value_or("none")), html_escape(b.name), arrow_symbol(t.arrow), html_escape(o.trend_metric),
        t.change_pct ? fmt::format("{:+.1f} %", *t.change_pct) : "", t.drifting ? " <b>drift</b>" : "", spark);
    write_file_atomically(out / "b" / file, benchmark_page(w, b, o));
    ++files;
  }
  const std::string span = w.runs.empty() ? "no points yet"
                                          : fmt::format("{} points, {} to {}", w.runs.size(), utc_minute(w.runs.front().time),
                                                        utc_minute(w.runs.back().time));
  std::string body = fmt::format("<h1>{}</h1><p class=\"meta\">{}: {} benchmarks, {} red, {} yellow; {}. "
                                 "Trend of {} over the last {} points: ↑ improving, → within {:g} %, ↓ declining; "
                                 "drift past {:g} %.</p>",
                                 html_escape(o.title), html_escape(o.source), w.benchmarks.size(), red, yellow, span,
                                 html_escape(o.trend_metric), o.trend_window, o.rule.stable_pct, o.rule.drift_pct);
  body += "<div class=\"tiles\">\n" + tiles + "</div>";
  write_file_atomically(out / "index.html", page(o.title, body));
  return files + 1;
}

} // namespace cibench

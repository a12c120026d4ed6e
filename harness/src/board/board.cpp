#include "board/board.hpp"

#include "history/commit_info.hpp"
#include "board/svg_chart.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/file_names.hpp"
#include "metrics/metrics.hpp"
#include "util/byte_size.hpp"
#include "util/html_escape.hpp"
#include "util/plural.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

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
.chart .point{pointer-events:none} .chart .point.only{fill:#0969da} .chart .point.warn{fill:#bf8700} .chart .point.fail{fill:#cf222e}
.chart .cursor{stroke:#57606a;stroke-dasharray:3 2;pointer-events:none}
.tip{position:absolute;background:#1b1f24;color:#fff;padding:3px 7px;border-radius:4px;font-size:12px;pointer-events:none;white-space:nowrap}
.chart .axis{font-size:11px;fill:#57606a}
.metric{margin:0 0 1.2em} .metric h2{font-size:1em;margin:0 0 .3em}
table{border-collapse:collapse;margin:0 0 1em} td,th{border:1px solid #d0d7de;padding:2px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}
.legend span{margin-right:1.2em}
.group{font-size:1.05em;margin:1.2em 0 .4em;color:#57606a} .tile .latest{font-size:1.15em;font-weight:bold}
.chart .tick{stroke:#8c959f} .chart a .axis{fill:#0969da} .chart a:hover .axis{text-decoration:underline}
details{margin:1em 0} summary{cursor:pointer;color:#57606a}
)css";

// A benchmark page's one script: hovering a chart shows the commit nearest the mouse, read from
// the page's data (<script type="application/json" id="board-data">: "points", per slot its
// commit, time, branch and status; "series", per chart its values). Text goes in with textContent.
constexpr const char* kHoverScript = R"js(
(() => {
  const data = JSON.parse(document.getElementById('board-data').textContent);
  const tip = document.createElement('div');
  tip.className = 'tip';
  tip.hidden = true;
  document.body.append(tip);
  const grouped = v => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  for (const svg of document.querySelectorAll('svg.chart[data-series]')) {
    const values = data.series[+svg.dataset.series], slots = +svg.dataset.slots;
    const left = +svg.dataset.left, width = +svg.dataset.plotWidth, cursor = svg.querySelector('.cursor');
    svg.addEventListener('mousemove', event => {
      const at = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
      const i = slots > 1 ? Math.min(slots - 1, Math.max(0, Math.round((at.x - left) / width * (slots - 1)))) : 0;
      const [commit, time, branch, status] = data.points[i];
      const value = values[i] === null ? 'no count' : grouped(values[i]);
      tip.textContent = `${commit} ${time} on ${branch}: ${value} (${status})`;
      const x = slots > 1 ? left + width * i / (slots - 1) : left + width / 2;
      cursor.setAttribute('x1', x);
      cursor.setAttribute('x2', x);
      cursor.setAttribute('visibility', 'visible');
      tip.hidden = false;
      tip.style.left = Math.max(0, Math.min(event.pageX + 12, document.documentElement.scrollWidth - tip.offsetWidth - 4)) + 'px';
      tip.style.top = (event.pageY + 14) + 'px';
    });
    svg.addEventListener('mouseleave', () => {
      tip.hidden = true;
      cursor.setAttribute('visibility', 'hidden');
    });
  }
})();
)js";

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

std::string_view mark_of(const std::optional<std::string>& status) {
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

Column trend_column(const BenchmarkHistory& b, const std::string& metric, int window) {
  auto it = b.metrics.find(metric);
  if (it == b.metrics.end()) return {};
  Column c = it->second;
  if (c.size() > static_cast<size_t>(window)) c.erase(c.begin(), c.end() - window);
  return c;
}

// The metric a benchmark is known by: --metric when it has it, else the registry's first primary
// metric it has (instructions, heap peak, code size), else its first labelled one, else its first.
std::string main_metric(const BenchmarkHistory& b, const BoardOptions& o) {
  if (!o.trend_metric.empty() && b.metrics.count(o.trend_metric)) return o.trend_metric;
  for (auto& m : kMetricTable)
    if (m.primary && b.metrics.count(std::string(m.name))) return std::string(m.name);
  for (auto& m : kMetricTable)
    if (!m.label.empty() && b.metrics.count(std::string(m.name))) return std::string(m.name);
  if (b.metrics.count("Ir")) return "Ir"; // raw events only: Ir is the instructions
  return b.metrics.empty() ? o.trend_metric : b.metrics.begin()->first;
}

// What a person reads: the registry's label; a name it does not know, as it is.
std::string label_of(const std::string& metric) {
  const MetricInfo* m = find_metric(metric);
  return m && !m->label.empty() ? std::string(m->label) : metric;
}

// Valgrind's own event names (Ir, D1mr, ...): the registry knows them but gives them no label.
bool is_raw_event(const std::string& metric) {
  const MetricInfo* m = find_metric(metric);
  return m && m->label.empty();
}

// Whether a page keeps the raw events apart: only when it has other metrics to lead with.
bool has_labelled_metric(const BenchmarkHistory& b) {
  return std::any_of(b.metrics.begin(), b.metrics.end(), [](auto& m) { return !is_raw_event(m.first); });
}

std::string value_text(const std::string& metric, std::int64_t value) {
  const MetricInfo* m = find_metric(metric);
  return m && m->unit == MetricUnit::bytes ? format_byte_size(value) : grouped(value);
}

// The benchmark's metrics in the order a page lists them: its main metric, then the registry's
// order, then names the registry does not know.
std::vector<std::string> page_order(const BenchmarkHistory& b, const std::string& main) {
  std::vector<std::string> order{main};
  for (auto& m : kMetricTable)
    if (m.name != main && b.metrics.count(std::string(m.name))) order.emplace_back(m.name);
  for (auto& [name, column] : b.metrics)
    if (!find_metric(name) && name != main) order.push_back(name);
  return order;
}

TrendRule rule_for(const BoardOptions& o, const std::string& metric) {
  TrendRule rule = o.rule;
  if (auto it = o.warn_pct_by_metric.find(metric); it != o.warn_pct_by_metric.end()) rule.warn_pct = it->second;
  return rule;
}

// The group a tile is shown in: its name up to the first '.' or '/' ("sort.ints/1k" -> "sort").
std::string group_of(const std::string& name) {
  const size_t cut = name.find_first_of("./");
  return cut == std::string::npos || cut == 0 ? name : name.substr(0, cut);
}

// A commit's page, from --commit-url's template (each {sha} replaced); "" without one or without a commit.
std::string commit_link(const BoardOptions& o, const std::string& sha) {
  if (o.commit_url.empty() || sha.empty()) return "";
  std::string url = o.commit_url;
  for (size_t at = 0; (at = url.find("{sha}", at)) != std::string::npos; at += sha.size()) url.replace(at, 5, sha);
  return url;
}

// Up to four labels under a chart's time axis: the first and last slot and two between, each its
// commit and date.
std::vector<AxisTick> axis_ticks(const HistoryWindow& w, const std::vector<size_t>& slots, const BoardOptions& o) {
  std::vector<AxisTick> ticks;
  if (slots.empty()) return ticks;
  const size_t n = slots.size();
  std::vector<size_t> at{0};
  if (n > 3) at.insert(at.end(), {(n - 1) / 3, 2 * (n - 1) / 3});
  if (n > 1) at.push_back(n - 1);
  for (size_t k : at) {
    const HistoryRun& run = w.runs[slots[k]];
    const std::string date = utc_minute(run.time).substr(0, 10);
    ticks.push_back({.slot = k, .text = fmt::format("{} {}", run.commit.empty() ? "(no commit)" : run.commit.substr(0, 7), date),
                     .href = commit_link(o, run.commit)});
  }
  return ticks;
}

// JSON for inside <script type="application/json">: "<" escaped, so that no "</script>" or
// "<!--" from outside text ends or changes the element.
std::string script_json(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (size_t at = 0; at < json.size();) {
    const size_t lt = std::min(json.find('<', at), json.size());
    out.append(json.substr(at, lt - at));
    if (lt < json.size()) out += "\\u003c";
    at = lt + 1;
  }
  return out;
}

std::string json_string(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Per run of the window, the start of its entry in a page's "points": [commit, time, branch,
// made once for the whole board.
std::vector<std::string> run_entries(const HistoryWindow& w) {
  std::vector<std::string> entries;
  for (auto& run : w.runs)
    entries.push_back(fmt::format("[{},{},{},", json_string(short_sha(run.commit)), json_string(utc_minute(run.time)),
                                  json_string(run.branch.empty() ? "?" : run.branch)));
  return entries;
}

std::string benchmark_page(const HistoryWindow& w, const std::vector<std::string>& run_entries, const BenchmarkHistory& b,
                           const BoardOptions& o) {
  // The slots: the runs the benchmark was in. A chart has a point (or a gap) at each.
  std::vector<size_t> slots;
  for (size_t i = 0; i < w.runs.size(); ++i)
    if (b.status[i]) slots.push_back(i);
  fmt::memory_buffer data;
  const auto put = [&](std::string_view text) { data.append(text); };
  put("{\"points\":[");
  for (size_t k = 0; k < slots.size(); ++k) {
    if (k) put(",");
    put(run_entries[slots[k]]);
    put(json_string(*b.status[slots[k]]));
    put("]");
  }
  put("],\"series\":[");

  const std::string main = main_metric(b, o);
  std::string body = fmt::format("<p><a href=\"../index.html\">&larr; {}</a></p><h1>{}</h1>", html_escape(o.title),
                                 html_escape(b.name));
  body += fmt::format("<p class=\"meta\">latest status: {}; known by its {}. Hover a chart for the commit under the mouse; "
                      "<span style=\"color:#bf8700\">&#9679;</span> warn, <span style=\"color:#cf222e\">&#9679;</span> "
                      "fail or error at that commit.</p>",
                      html_escape(latest_status(b).value_or("none")), html_escape(label_of(main)));
  const auto row = [&](const std::string& metric) {
    const Column& column = b.metrics.at(metric);
    const Trend t = trend_of(trend_column(b, metric, o.trend_window), rule_for(o, metric));
    std::optional<std::int64_t> latest;
    for (auto& v : column)
      if (v) latest = v;
    return fmt::format("<tr data-metric=\"{}\"><td>{}</td><td>{}</td><td><span class=\"arrow\">{}</span> {}</td><td>{} ({})</td></tr>",
                       html_escape(metric), html_escape(is_raw_event(metric) ? metric : label_of(metric)),
                       latest ? value_text(metric, *latest) : "", arrow_symbol(t.arrow), arrow_word(t.arrow),
                       change_text(t, 2), counted(t.points, "point"));
  };
  const std::string head = "<table><tr><th>metric</th><th>latest</th><th>trend</th><th>change over the last points</th></tr>";
  const std::vector<std::string> order = page_order(b, main);
  const bool apart = has_labelled_metric(b);
  const auto charted = [&](const std::string& metric) { return !apart || !is_raw_event(metric); };
  body += head;
  for (auto& metric : order)
    if (charted(metric)) body += row(metric);
  body += "</table>";
  const std::vector<AxisTick> ticks = axis_ticks(w, slots, o);
  int series = 0;
  for (auto& metric : order) {
    if (!charted(metric)) continue;
    const Column& column = b.metrics.at(metric);
    std::vector<ChartPoint> points;
    if (series) put(",");
    put("[");
    for (size_t k = 0; k < slots.size(); ++k) {
      const auto& value = column[slots[k]];
      points.push_back({value, mark_of(b.status[slots[k]])});
      if (k) put(",");
      if (value) {
        const fmt::format_int digits(*value);
        data.append(digits.data(), digits.data() + digits.size());
      } else {
        put("null");
      }
    }
    put("]");
    body += fmt::format("<section class=\"metric\" data-metric=\"{}\"><h2>{}</h2>{}</section>", html_escape(metric),
                        html_escape(label_of(metric)),
                        svg_chart(points, b.name + " " + label_of(metric), {.series = series++, .ticks = ticks}));
  }
  // Valgrind's own events, under their own names, for whoever asks.
  std::string raw;
  for (auto& metric : order)
    if (!charted(metric)) raw += row(metric);
  if (!raw.empty())
    body += "<details class=\"raw\"><summary>Valgrind's raw events (Ir, D1mr, ...)</summary>" + head + raw + "</table></details>";
  put("]}");
  body += "<script type=\"application/json\" id=\"board-data\">" + script_json(std::string_view(data.data(), data.size())) + "</script>";
  body += std::string("<script>") + kHoverScript + "</script>";
  return page(b.name + " - " + o.title, body);
}

} // namespace

namespace {

// The pages are written into a fresh folder that then replaces b/ whole: no page of a benchmark
// gone from the history stays behind, and a board that fails half-way leaves the old one as it was.
struct FreshFolder {
  fs::path path;
  bool kept = false;
  ~FreshFolder() {
    std::error_code ec;
    if (!kept) fs::remove_all(path, ec);
  }
};

void replace_folder(const fs::path& fresh, const fs::path& target) {
  const fs::path old = target.parent_path() / fmt::format(".{}.old.{}", target.filename().string(), ::getpid());
  std::error_code ec;
  if (fs::exists(target)) fs::rename(target, old, ec);
  if (!ec) fs::rename(fresh, target, ec);
  if (ec) throw Error(ErrorKind::io, fmt::format("cannot replace the board's pages {}: {}", target.string(), ec.message()));
  fs::remove_all(old, ec);
}

} // namespace

int write_board(const HistoryWindow& w, const BoardOptions& o, const fs::path& out) {
  std::error_code ec;
  if (fs::is_directory(out / "index.html"))
    throw Error(ErrorKind::io, fmt::format("cannot write the board: {} is a folder", (out / "index.html").string()));
  FreshFolder pages{out / fmt::format(".b.new.{}", ::getpid())};
  fs::create_directories(pages.path, ec);
  if (ec) throw Error(ErrorKind::io, fmt::format("cannot create the board folder {}: {}", pages.path.string(), ec.message()));
  std::vector<std::pair<std::string, std::string>> groups; // group name, its tiles; names sorted, so groups come whole
  int red = 0, yellow = 0, files = 0;
  const std::vector<std::string> entries = run_entries(w);
  for (auto& b : w.benchmarks) {
    const std::string main = main_metric(b, o);
    const Trend t = trend_of(trend_column(b, main, o.trend_window), rule_for(o, main));
    const auto status = latest_status(b);
    const std::string colour = colour_of(status, t.drifting);
    red += colour == "red";
    yellow += colour == "yellow";
    const std::string file = file_stem(b.name) + ".html";
    auto column = b.metrics.find(main);
    std::vector<ChartPoint> points;
    std::optional<std::int64_t> latest;
    if (column != b.metrics.end())
      for (size_t i = 0; i < w.runs.size(); ++i)
        if (b.status[i]) {
          points.push_back({column->second[i], mark_of(b.status[i])});
          if (column->second[i]) latest = column->second[i];
        }
    const std::string spark = column == b.metrics.end()
                                  ? "<p>no counts recorded</p>"
                                  : svg_chart(points, b.name + " " + label_of(main),
                                              {.width = 220, .height = 48, .axes = false, .series = std::nullopt, .ticks = {}});
    const std::string group = group_of(b.name);
    if (groups.empty() || groups.back().first != group) groups.emplace_back(group, "");
    groups.back().second += fmt::format(
        "<a class=\"tile {}\" href=\"b/{}\" data-benchmark=\"{}\" data-metric=\"{}\" title=\"{}: {}\"><span class=\"status\">{}</span>"
        "<div class=\"name\">{}</div><div class=\"latest\">{} {}</div><div class=\"trend\"><span class=\"arrow\">{}</span> {}{}</div>{}</a>\n",
        colour, html_escape(url_of(file)), html_escape(b.name), html_escape(main), html_escape(b.name), arrow_word(t.arrow),
        html_escape(status.value_or("none")), html_escape(b.name), html_escape(label_of(main)),
        latest ? value_text(main, *latest) : "", arrow_symbol(t.arrow), change_text(t, 1).empty() ? arrow_word(t.arrow) : change_text(t, 1),
        t.drifting ? " <b>drift</b>" : "", spark);
    write_file_atomically(pages.path / file, benchmark_page(w, entries, b, o));
    ++files;
  }
  const std::string span = w.runs.empty() ? "no points yet"
                                          : fmt::format("{}, {} to {}", counted(w.runs.size(), "point"), utc_minute(w.runs.front().time),
                                                        utc_minute(w.runs.back().time));
  const std::string known_by = o.trend_metric.empty() ? "its main metric (instructions, else heap peak, else code size)"
                                                      : label_of(o.trend_metric) + " where it has it";
  std::string body = fmt::format("<h1>{}</h1><p class=\"meta\">{}: {} benchmarks, {} red, {} yellow; {}. "
                                 "Each tile shows {}: its latest value, and its trend over the last {} points: "
                                 "↑ improving, → within {:g} %, ↓ declining; drift past {:g} %.</p>",
                                 html_escape(o.title), html_escape(o.source), w.benchmarks.size(), red, yellow, span,
                                 html_escape(known_by), o.trend_window, o.rule.stable_pct, o.rule.drift_pct);
  for (auto& [group, tiles] : groups)
    body += fmt::format("<h2 class=\"group\">{}</h2><div class=\"tiles\">\n{}</div>", html_escape(group), tiles);
  replace_folder(pages.path, out / "b");
  pages.kept = true;
  write_file_atomically(out / "index.html", page(o.title, body));
  return files + 1;
}

} // namespace cibench

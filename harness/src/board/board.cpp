#include "board/board.hpp"

#include "history/commit_info.hpp"
#include "board/svg_chart.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/file_names.hpp"
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

  std::string body = fmt::format("<p><a href=\"../index.html\">&larr; {}</a></p><h1>{}</h1>", html_escape(o.title),
                                 html_escape(b.name));
  body += fmt::format("<p class=\"meta\">latest status: {}. Hover a chart for the commit under the mouse; "
                      "<span style=\"color:#bf8700\">&#9679;</span> warn, <span style=\"color:#cf222e\">&#9679;</span> "
                      "fail or error at that commit.</p>",
                      html_escape(latest_status(b).value_or("none")));
  body += "<table><tr><th>metric</th><th>latest</th><th>trend</th><th>change over the last points</th></tr>";
  for (auto& [metric, column] : b.metrics) {
    const Trend t = trend_of(trend_column(b, metric, o.trend_window), o.rule);
    std::optional<std::int64_t> latest;
    for (auto& v : column)
      if (v) latest = v;
    body += fmt::format("<tr><td>{}</td><td>{}</td><td><span class=\"arrow\">{}</span> {}</td><td>{} ({})</td></tr>",
                        html_escape(metric), latest ? grouped(*latest) : "", arrow_symbol(t.arrow),
                        arrow_word(t.arrow), change_text(t, 2), counted(t.points, "point"));
  }
  body += "</table>";
  int series = 0;
  for (auto& [metric, column] : b.metrics) {
    if (metric == "Ir" && b.metrics.count("instructions")) continue; // the same count twice
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
                        html_escape(metric), svg_chart(points, b.name + " " + metric, {.series = series++}));
  }
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
  std::string tiles;
  int red = 0, yellow = 0, files = 0;
  const std::vector<std::string> entries = run_entries(w);
  for (auto& b : w.benchmarks) {
    const Trend t = trend_of(trend_column(b, o.trend_metric, o.trend_window), o.rule);
    const auto status = latest_status(b);
    const std::string colour = colour_of(status, t.drifting);
    red += colour == "red";
    yellow += colour == "yellow";
    const std::string file = file_stem(b.name) + ".html";
    auto column = b.metrics.find(o.trend_metric);
    std::vector<ChartPoint> points;
    if (column != b.metrics.end())
      for (size_t i = 0; i < w.runs.size(); ++i)
        if (b.status[i]) points.push_back({column->second[i], mark_of(b.status[i])});
    const std::string spark = column == b.metrics.end()
                                  ? std::string("<p>no ") + html_escape(o.trend_metric) + " counts</p>"
                                  : svg_chart(points, b.name + " " + o.trend_metric,
                                              {.width = 220, .height = 48, .axes = false, .series = std::nullopt});
    tiles += fmt::format(
        "<a class=\"tile {}\" href=\"b/{}\" data-benchmark=\"{}\" title=\"{}: {}\"><span class=\"status\">{}</span>"
        "<div class=\"name\">{}</div><div class=\"trend\"><span class=\"arrow\">{}</span> {} {}{}</div>{}</a>\n",
        colour, html_escape(url_of(file)), html_escape(b.name), html_escape(b.name), arrow_word(t.arrow),
        html_escape(status.value_or("none")), html_escape(b.name), arrow_symbol(t.arrow), html_escape(o.trend_metric),
        change_text(t, 1), t.drifting ? " <b>drift</b>" : "", spark);
    write_file_atomically(pages.path / file, benchmark_page(w, entries, b, o));
    ++files;
  }
  const std::string span = w.runs.empty() ? "no points yet"
                                          : fmt::format("{}, {} to {}", counted(w.runs.size(), "point"), utc_minute(w.runs.front().time),
                                                        utc_minute(w.runs.back().time));
  std::string body = fmt::format("<h1>{}</h1><p class=\"meta\">{}: {} benchmarks, {} red, {} yellow; {}. "
                                 "Trend of {} over the last {} points: ↑ improving, → within {:g} %, ↓ declining; "
                                 "drift past {:g} %.</p>",
                                 html_escape(o.title), html_escape(o.source), w.benchmarks.size(), red, yellow, span,
                                 html_escape(o.trend_metric), o.trend_window, o.rule.stable_pct, o.rule.drift_pct);
  body += "<div class=\"tiles\">\n" + tiles + "</div>";
  replace_folder(pages.path, out / "b");
  pages.kept = true;
  write_file_atomically(out / "index.html", page(o.title, body));
  return files + 1;
}

} // namespace cibench

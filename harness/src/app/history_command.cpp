#include "app/history_command.hpp"

#include "app/history_show.hpp"
#include "config/config.hpp"
#include "history/ancestry_order.hpp"
#include "board/board.hpp"
#include "history/commit_info.hpp"
#include "history/git.hpp"
#include "history/import.hpp"
#include "history/query.hpp"
#include "history/record.hpp"
#include "history/run_recording.hpp"
#include "history/schema.hpp"
#include "metrics/metrics.hpp"
#include "plan/plan.hpp"
#include "util/plural.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

namespace cibench {
namespace fs = std::filesystem;

namespace {

// The config when there is one; with --history and no config file, the defaults.
struct Context {
  std::optional<Config> config;
  fs::path history;
  DriftSettings drift;
  double warn_pct(const std::string& metric) const {
    const auto& warn = config ? config->default_thresholds.warn : Thresholds::defaults().warn;
    auto it = warn.find(metric);
    return it == warn.end() ? 2.0 : it->second;
  }
  std::string config_name() const { return config ? name_in_repository(config->file) : "ci-bench.toml"; }
  fs::path project_dir() const { return config ? config->file.parent_path() : fs::current_path(); }
};

Context context_of(const HistoryOptions& o) {
  Context c;
  if (o.history.empty() || fs::exists(o.config)) c.config = load_config(o.config);
  if (c.config) c.drift = c.config->drift;
  if (!o.history.empty()) c.history = o.history;
  else if (c.config && c.config->history) c.history = *c.config->history;
  else
    throw Error(ErrorKind::config, fmt::format("no history file: pass --history FILE or set history = \"FILE\" in {}",
                                               o.config.string()));
  return c;
}

// The runs the window reads: --branch, else the drift branch, else (when that has none) all.
std::string chosen_branch(Database& db, const HistoryOptions& o, const Context& c) {
  if (o.all_branches) return "";
  const std::string branch = o.branch.empty() ? c.drift.branch : o.branch;
  const auto counts = branch_counts(db);
  if (counts.count(branch)) return branch;
  if (!o.branch.empty()) { // a name typed wrong must not empty a published board
    std::string known;
    for (auto& [name, points] : counts) known += (known.empty() ? "" : ", ") + printable_line(name, 100);
    throw Error(ErrorKind::config, fmt::format("--branch {}: no points on that branch in {} (its branches: {})",
                                               printable_line(branch, 200), c.history.string(), known.empty() ? "none" : known));
  }
  fmt::print(stderr, "ci-bench: no points on branch '{}': showing every branch\n", printable_line(branch, 200));
  return "";
}

// --commit: resolved by git to its full sha (so HEAD~1 and a short sha file under one point), on
// --branch or else the checkout's branch. --end-of-options: the value is never an option of git.
CommitInfo named_commit(const HistoryOptions& o, const Context& c) {
  const auto sha = git_output(c.project_dir(), {"rev-parse", "--verify", "--quiet", "--end-of-options", o.commit + "^{commit}"});
  if (!sha || sha->size() < 40)
    throw Error(ErrorKind::config, fmt::format("--commit {}: no such commit in {}", printable_line(o.commit, 100),
                                               c.project_dir().string()));
  return describe_commit(c.project_dir(), sha->substr(0, sha->find('\n')),
                         o.branch.empty() ? current_commit(c.project_dir()).branch : o.branch);
}

int show(const HistoryOptions& o, const Context& c) {
  auto db = open_history(c.history, HistoryUse::read);
  const int last = o.last ? o.last : c.drift.window;
  const std::string branch = chosen_branch(*db, o, c);
  // The table needs one metric; --json gives every metric of every point.
  const HistoryWindow w = read_window(*db, {.branch = branch, .last = last, .filter = compile_filter(o.filter),
                                            .metric = o.json ? "" : o.metric, .run = {}});
  if (!o.json && !w.benchmarks.empty() &&
      std::none_of(w.benchmarks.begin(), w.benchmarks.end(), [&](auto& b) { return b.metrics.count(o.metric) > 0; }))
    throw Error(ErrorKind::config, fmt::format("history {}: no point has a metric '{}' (they are named as in results.json: "
                                               "instructions, estimated_cycles, l1_hits, Ir, heap_peak_bytes, text_bytes, …)",
                                               c.history.string(), printable_line(o.metric, 100)));
  const ShowSettings settings{.history_name = c.history.string(), .branch = branch, .last = last, .metric = o.metric,
                              .rule = {.drift_pct = c.drift.threshold_pct, .warn_pct = c.warn_pct(o.metric), .stable_pct = 1}};
  fmt::memory_buffer text;
  if (o.json) history_json(*db, w, settings, text);
  else history_table(*db, w, settings, text);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

int import_results(const HistoryOptions& o, const Context& c) {
  const CommitInfo otherwise = o.commit.empty() ? current_commit(c.project_dir()) : named_commit(o, c);
  // Every file read before any is recorded: one bad file leaves the history as it was.
  std::vector<HistoryPoint> points;
  for (auto& file : o.files) {
    points.push_back(point_of_results_json(file, c.config_name(), otherwise));
    if (!o.branch.empty()) points.back().commit.branch = o.branch;
  }
  auto db = open_history(c.history, HistoryUse::record);
  for (size_t i = 0; i < points.size(); ++i) {
    record_point(*db, points[i]);
    fmt::print("{}: {} at {}\n", o.files[i].string(), counted(points[i].benchmarks.size(), "benchmark"),
               points[i].commit.sha ? printable_line(*points[i].commit.sha, 64) : "no commit");
  }
  return 0;
}

int import_git(const HistoryOptions& o, const Context& c) {
  if (!c.config) throw Error(ErrorKind::config, fmt::format("import-git reads the baseline folder of a config: {} not found", o.config.string()));
  const std::string branch = o.branch.empty() ? current_commit(c.project_dir()).branch : o.branch;
  const auto points = points_of_baseline_history(c.config->baseline_dir, c.config_name(), branch);
  // actions/checkout fetches one commit unless told otherwise: say why the past is short.
  if (auto shallow = git_output(c.project_dir(), {"rev-parse", "--is-shallow-repository"}); shallow && shallow->starts_with("true"))
    fmt::print(stderr, "ci-bench: {} is a shallow clone: only the commits it has are imported (`git fetch --unshallow`, "
                       "or actions/checkout with fetch-depth: 0)\n", c.project_dir().string());
  auto db = open_history(c.history, HistoryUse::record);
  record_in_ancestry_order(*db, points, c.config->baseline_dir);
  fmt::print("{}: {} commits of {} recorded\n", c.history.string(), points.size(), c.config->baseline_dir.string());
  return 0;
}

// Where a commit of the board links to: --commit-url, else GitHub's page of it when run in GitHub
// Actions (which says where the repository is), else nowhere.
std::string commit_url_of(const HistoryOptions& o) {
  std::string url = o.commit_url;
  if (url.empty()) {
    const std::string server = std::getenv("GITHUB_SERVER_URL") ? std::getenv("GITHUB_SERVER_URL") : "";
    const std::string repository = std::getenv("GITHUB_REPOSITORY") ? std::getenv("GITHUB_REPOSITORY") : "";
    // Only what GitHub sets there: an https server and OWNER/NAME; anything else gives no links.
    const bool plain = server.starts_with("https://") && repository.find('/') != std::string::npos &&
                       std::all_of(repository.begin(), repository.end(), [](unsigned char ch) {
                         return std::isalnum(ch) || ch == '/' || ch == '-' || ch == '_' || ch == '.';
                       });
    return plain ? fmt::format("{}/{}/commit/{{sha}}", server, repository) : "";
  }
  if (!(url.starts_with("https://") || url.starts_with("http://")) || url.find("{sha}") == std::string::npos)
    throw Error(ErrorKind::config, fmt::format("--commit-url '{}' must be an http(s) address with {{sha}} where the commit goes, "
                                               "e.g. https://github.com/OWNER/NAME/commit/{{sha}}",
                                               printable_line(url, 200)));
  return url;
}

int board(const HistoryOptions& o, const Context& c) {
  auto db = open_history(c.history, HistoryUse::read);
  const std::string branch = chosen_branch(*db, o, c);
  const HistoryWindow w = read_window(*db, {.branch = branch, .last = o.last ? o.last : 1000,
                                            .filter = compile_filter(o.filter), .metric = "", .run = {}});
  BoardOptions options{.title = "ci-bench board", .trend_metric = o.metric_given ? o.metric : "", .trend_window = c.drift.window,
                       .rule = {.drift_pct = c.drift.threshold_pct, .warn_pct = c.warn_pct(o.metric), .stable_pct = 1},
                       .warn_pct_by_metric = {},
                       .source = fmt::format("{} ({})", c.history.filename().string(), branch.empty() ? "every branch" : branch),
                       .commit_url = commit_url_of(o)};
  for (auto& metric : kMetricTable) options.warn_pct_by_metric[std::string(metric.name)] = c.warn_pct(std::string(metric.name));
  if (o.metric_given && !w.benchmarks.empty() &&
      std::none_of(w.benchmarks.begin(), w.benchmarks.end(), [&](auto& b) { return b.metrics.count(o.metric) > 0; }))
    throw Error(ErrorKind::config, fmt::format("history board --metric {}: no benchmark has that metric", printable_line(o.metric, 100)));
  const int files = write_board(w, options, o.out);
  fmt::print("board: {} ({})\n", (o.out / "index.html").string(), counted(files, "file"));
  return 0;
}

} // namespace

CLI::App* add_history_command(CLI::App& app, HistoryOptions& o) {
  auto* history = app.add_subcommand("history", "Every run kept in one SQLite file: trends, drift and the andon board");
  history->require_subcommand(1);
  history->footer("Record with `ci-bench run --history FILE` (or history = \"FILE\" in the config).\n"
                  "Example: ci-bench history import-git && ci-bench history show --filter '^sort'");
  const auto common = [&](CLI::App* cmd) {
    cmd->add_option("--config", o.config, "The config (for its history, baseline folder, warn levels and [drift])")
        ->default_str("ci-bench.toml");
    cmd->add_option("--history", o.history, "The history file (default: the config's history)");
  };
  const auto window = [&](CLI::App* cmd, const char* last_help) {
    cmd->add_option("--filter", o.filter, "Only benchmarks whose name matches this regular expression");
    cmd->add_option("--metric", o.metric, "The metric the trend and drift are told of")->default_str("instructions");
    cmd->add_option("--last", o.last, last_help)->check(CLI::Range(1, 1'000'000));
    cmd->add_option("--branch", o.branch, "Points of this branch (default: [drift] branch, \"main\")");
    cmd->add_flag("--all-branches", o.all_branches, "Points of every branch");
  };
  auto* show = history->add_subcommand("show", "A table per benchmark over the last points: values, steps, the trend "
                                               "arrow (↑ improving, → stable, ↓ declining) and drift");
  common(show);
  window(show, "Points shown (default: the [drift] window, 20)");
  show->add_flag("--json", o.json, "JSON for scripts: the runs, every metric of every benchmark per run, and each "
                                   "benchmark's top functions and allocation sites at the first and latest point");
  show->footer("With one benchmark shown (--filter), the table adds its top functions and allocation sites at the\n"
               "window's first and latest point.\n"
               "Example: ci-bench history show --metric estimated_cycles --last 50");

  auto* import = history->add_subcommand("import", "Record results.json files (CI artifacts) as points");
  common(import);
  import->add_option("FILE", o.files, "results.json files, each one point")->required()->check(CLI::ExistingFile);
  import->add_option("--commit", o.commit, "The commit, for files without one (default: HEAD)");
  import->add_option("--branch", o.branch, "The branch, for every file (default: the file's, else the checkout's)");
  import->footer("A results.json written by `ci-bench run` carries its commit; the same commit and config replace.");

  auto* import_git = history->add_subcommand("import-git", "Record each commit that changed the baseline folder as a "
                                                           "point, from git (first parents of HEAD)");
  common(import_git);
  import_git->add_option("--branch", o.branch, "The branch to file the points under (default: the checkout's)");
  import_git->footer("Example: ci-bench history import-git --branch main   (a project's past on its first day)");

  auto* board = history->add_subcommand("board", "Write the andon board: a static site (nothing loaded from the network) "
                                                 "with a red / yellow / green tile per benchmark and a chart per metric");
  common(board);
  window(board, "Points charted (default 1000)");
  board->add_option("--out", o.out, "The folder to write index.html and b/ into")->required();
  board->add_option("--commit-url", o.commit_url,
                    "Where the charts' commits link to, {sha} replaced (default in GitHub Actions: the repository's "
                    "commit page; elsewhere no links)");
  board->footer("Tiles and pages lead with each benchmark's main metric (instructions, else heap peak, else code size);\n"
                "--metric picks another for every tile that has it.\n"
                "Example: ci-bench history board --out build/board --commit-url 'https://github.com/acme/shop/commit/{sha}'");
  return history;
}

int run_history_command(CLI::App& history, const HistoryOptions& o) {
  const Context c = context_of(o);
  const auto parsed = [&](const char* name) { return history.get_subcommand(name)->parsed(); };
  if (parsed("show")) return show(o, c);
  if (parsed("import")) return import_results(o, c);
  if (parsed("import-git")) return import_git(o, c);
  HistoryOptions board_options = o;
  board_options.metric_given = history.get_subcommand("board")->count("--metric") > 0;
  return board(board_options, c);
}

} // namespace cibench

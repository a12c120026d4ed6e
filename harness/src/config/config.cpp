#include "config/config.hpp"
#include "config/toml_ascii_check.hpp"

#include "util/byte_size.hpp"
#include "util/error.hpp"
#include "exec/process.hpp"
#include "metrics/metrics.hpp"
#include "valgrind/tool.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>
#include <unistd.h>

namespace cibench {
namespace fs = std::filesystem;
namespace {

class Reader {
public:
  explicit Reader(fs::path file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::source_region& at, const std::string& what) const {
    throw Error(ErrorKind::config, fmt::format("{}:{}: {}", file_.string(), at.begin.line, what));
  }
  std::string where(const toml::node& n) const { return fmt::format("{}:{}", file_.string(), n.source().begin.line); }

  void only_keys(const toml::table& t, const std::string& table_name, const std::set<std::string>& allowed) const {
    for (auto&& [key, value] : t)
      if (!allowed.count(std::string(key.str()))) {
        fail(key.source().begin.line ? key.source() : value.source(),
             fmt::format("unknown key '{}' in {} (known: {})", key.str(), table_name, fmt::join(allowed, ", ")));
      }
  }

  const toml::table& table(const toml::node& n, const std::string& name) const {
    if (auto t = n.as_table()) return *t;
    fail(n.source(), fmt::format("'{}' must be a table", name));
  }

  std::string string(const toml::node& n, const std::string& name) const {
    if (auto s = n.as_string()) return s->get();
    fail(n.source(), fmt::format("'{}' must be a string", name));
  }

  bool flag(const toml::node& n, const std::string& name) const {
    if (auto b = n.value<bool>()) return *b;
    fail(n.source(), fmt::format("'{}' must be true or false", name));
  }

  std::chrono::seconds timeout(const toml::node& n) const {
    auto v = n.value<double>();
    if (!v || !(*v > 0) || *v > 86400) fail(n.source(), "'timeout' must be a number of seconds between 0 and 86400");
    return std::chrono::seconds(static_cast<long>(std::ceil(*v)));
  }

  // Applies a `thresholds` table on top of inherited ones, metric by metric.
  void thresholds(const toml::node& n, Thresholds& into) const {
    const auto& t = table(n, "thresholds");
    only_keys(t, "thresholds", {"warn", "fail"});
    for (auto&& [level, per_metric] : t) {
      auto& target = level.str() == "warn" ? into.warn : into.fail;
      const auto& metrics = table(per_metric, std::string(level.str()));
      for (auto&& [metric, value] : metrics) {
        const std::string name(metric.str());
        if (!is_known_metric(name))
          fail(value.source(), fmt::format("unknown metric '{}' in thresholds.{} (metrics: {})", name, level.str(),
                                           known_metric_names()));
        auto& target_bytes = level.str() == "warn" ? into.warn_bytes : into.fail_bytes;
        // On a byte metric a size ("64 KiB", or a whole number of bytes) is the rise allowed in bytes.
        const auto* text = value.as_string();
        if (is_byte_metric(name) && (!text || (text->get() != "off" && !text->get().ends_with('%')))) {
          std::optional<std::int64_t> bytes = text ? parse_byte_size(text->get()) : value.value_exact<std::int64_t>();
          if (!bytes || *bytes < 0)
            fail(value.source(), fmt::format("thresholds.{}.{} must be a percentage (\"25%\") or a rise in bytes (\"64 KiB\", "
                                             "\"1.5 MB\", a whole number of bytes), or \"off\"", level.str(), name));
          target_bytes[name] = *bytes;
          target.erase(name);
          continue;
        }
        try {
          auto pct = parse_percent(string(value, name));
          if (pct) target[name] = *pct;
          else target.erase(name);
          target_bytes.erase(name);
        } catch (const Error& e) {
          fail(value.source(), fmt::format("thresholds.{}.{}: {}", level.str(), name, e.what()));
        }
      }
    }
  }

  void environment(const toml::node& n, Environment& into) const {
    const auto& t = table(n, "env");
    for (auto&& [k, v] : t) into[std::string(k.str())] = string(v, "env." + std::string(k.str()));
  }

  void budget(const toml::node& n, Thresholds& into) const {
    for (auto&& [metric, value] : table(n, "budget")) {
      const std::string name(metric.str());
      if (!is_known_metric(name)) fail(value.source(), fmt::format("unknown metric '{}' in budget (metrics: {})", name, known_metric_names()));
      std::optional<std::int64_t> v = value.value_exact<std::int64_t>();
      if (is_byte_metric(name)) {
        if (auto text = value.as_string()) v = parse_byte_size(text->get());
        if (!v || *v < 0)
          fail(value.source(), fmt::format("budget.{} must be a size in bytes: \"15 MB\", \"512 KiB\", \"1.5 MiB\" or "
                                           "a whole number of bytes", name));
      } else if (!v || *v < 0) {
        fail(value.source(), fmt::format("budget.{} must be a whole number of events, like 5_000_000", name));
      }
      into.budget[name] = *v;
    }
  }

  void drift(const toml::node& n, DriftSettings& into) const {
    const auto& t = table(n, "drift");
    only_keys(t, "drift", {"branch", "window", "threshold"});
    for (auto&& [k, v] : t) {
      const std::string key(k.str());
      if (key == "branch") into.branch = string(v, "drift.branch");
      else if (key == "window") {
        auto w = v.value_exact<std::int64_t>();
        if (!w || *w < 2 || *w > 100000) fail(v.source(), "'drift.window' must be a whole number of points from 2 to 100000");
        into.window = static_cast<int>(*w);
      } else {
        std::optional<double> pct;
        try {
          pct = parse_percent(string(v, "drift.threshold"));
        } catch (const Error& e) {
          fail(v.source(), fmt::format("drift.threshold: {}", e.what()));
        }
        if (!pct) fail(v.source(), "'drift.threshold' cannot be \"off\": leave [drift] out, or set a large percentage");
        into.threshold_pct = *pct;
      }
    }
  }

  // Reads the keys benchmarks, suites and the top level share into `s`.
  void settings(const std::string& key, const toml::node& value, RunSettings& s) const {
    if (key == "timeout") s.timeout = timeout(value);
    else if (key == "thresholds") thresholds(value, s.thresholds);
    else if (key == "env") environment(value, s.env);
    else if (key == "budget") budget(value, s.thresholds);
    else if (key == "tool") {
      try {
        s.tool = std::string(valgrind_tool(string(value, key)).name());
      } catch (const Error& e) {
        fail(value.source(), e.what());
      }
    }
    else if (key == "heap") s.heap = flag(value, key);
    else if (key == "fork") s.fork = flag(value, key);
    else if (key == "inputs") s.inputs = inputs(value);
    else if (key == "wall_clock_only") s.wall_clock_only = flag(value, key);
  }

  // `inputs = ["data/words.txt", "corpus/"]`: each copied into the sandbox under its last name,
  // which must therefore be unique and not the program's link ("prog").
  std::vector<fs::path> inputs(const toml::node& n) const {
    auto* arr = n.as_array();
    if (!arr) fail(n.source(), "'inputs' must be an array of paths relative to the config, like [\"data/words.txt\"]");
    std::vector<fs::path> paths;
    std::set<std::string> names;
    for (auto& item : *arr) {
      const fs::path given = file_.parent_path() / string(item, "inputs");
      std::error_code ec; // a link loop, say: the benchmark that copies it fails, naming it, not the config
      fs::path path = fs::weakly_canonical(given, ec);
      if (ec) path = given.lexically_normal();
      if (path.filename().empty()) path = path.parent_path(); // "corpus/"
      const std::string name = path.filename().string();
      if (name.empty() || name == "." || name == ".." || name == "prog")
        fail(item.source(), fmt::format("input '{}' has no usable name in the sandbox (an input is copied under its "
                                        "last name, which cannot be empty or \"prog\")", path.string()));
      if (!names.insert(name).second)
        fail(item.source(), fmt::format("two inputs would be copied to the same name '{}' in the sandbox", name));
      paths.push_back(path);
    }
    return paths;
  }

  void report(const toml::node& n, ReportSettings& r) const {
    const auto& t = table(n, "report");
    only_keys(t, "[report]", {"reproduce", "driver"});
    for (auto&& [k, value] : t) {
      const std::string key(k.str());
      std::string text = string(value, key);
      if (text.empty() || text.find_first_of("\n\r") != std::string::npos)
        fail(value.source(), fmt::format("'report.{}' must be a one-line command, like \"make bench-gate\"", key));
      (key == "reproduce" ? r.reproduce : r.driver) = std::move(text);
    }
  }

  // The file's text, refused before toml++ sees it if it has non-ASCII where TOML allows none.
  std::string text() const {
    std::ifstream in(file_, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) throw Error(ErrorKind::config, fmt::format("{}: cannot read the config file", file_.string()));
    std::string content = std::move(bytes).str();
    if (auto at = non_ascii_outside_strings(content))
      throw Error(ErrorKind::config,
                  fmt::format("{}:{}:{}: a non-ASCII character outside a string or comment (TOML allows them only "
                              "there; quote a key that has one: [suite.benchmark.\"café\"])",
                              file_.string(), at->line, at->column));
    return content;
  }

  Config read() {
    toml::table root;
    try {
      root = toml::parse(text(), file_.string());
    } catch (const toml::parse_error& e) {
      fail(e.source(), std::string(e.description()));
    }
    Config c;
    c.file = file_;
    const fs::path dir = file_.parent_path();
    c.baseline_dir = dir / "baselines";
    RunSettings defaults;
    defaults.thresholds = Thresholds::defaults();

    only_keys(root, "the top level",
              {"baseline_dir", "incomparable", "report", "thresholds", "timeout", "env", "tool", "heap", "valgrind", "benchmark",
               "suite", "artifact", "compare", "history", "drift"});
    for (auto&& [k, v] : root) {
      const std::string key(k.str());
      if (key == "baseline_dir") c.baseline_dir = dir / string(v, key);
      else if (key == "history") c.history = dir / string(v, key);
      else if (key == "drift") drift(v, c.drift);
      else if (key == "valgrind") valgrind(v, c.valgrind);
      else if (key == "report") report(v, c.report);
      else if (key == "incomparable") {
        const std::string mode = string(v, key);
        if (mode != "fail" && mode != "warn") fail(v.source(), "'incomparable' must be \"fail\" (the default) or \"warn\"");
        c.allow_incomparable = mode == "warn";
      }
      else if (key != "benchmark" && key != "suite" && key != "compare" && key != "artifact") settings(key, v, defaults);
    }
    if (auto* list = root.get("benchmark")) {
      auto* arr = list->as_array();
      if (!arr) fail(list->source(), "'benchmark' must be an array of tables: write [[benchmark]]");
      for (auto& item : *arr) c.benchmarks.push_back(benchmark(item, defaults));
    }
    if (auto* list = root.get("suite")) {
      auto* arr = list->as_array();
      if (!arr) fail(list->source(), "'suite' must be an array of tables: write [[suite]]");
      for (auto& item : *arr) c.suites.push_back(suite(item, defaults, dir));
    }
    if (auto* list = root.get("artifact")) {
      auto* arr = list->as_array();
      if (!arr) fail(list->source(), "'artifact' must be an array of tables: write [[artifact]]");
      for (auto& item : *arr) c.artifacts.push_back(artifact(item, defaults.thresholds, dir));
    }
    if (auto* list = root.get("compare")) {
      auto* arr = list->as_array();
      if (!arr) fail(list->source(), "'compare' must be an array of tables: write [[compare]]");
      for (auto& item : *arr) c.comparisons.push_back(comparison(item));
    }
    c.default_thresholds = defaults.thresholds;
    if (c.benchmarks.empty() && c.suites.empty() && c.artifacts.empty())
      throw Error(ErrorKind::config, fmt::format("{}: no [[benchmark]], [[suite]] or [[artifact]] to run", file_.string()));
    return c;
  }

private:
  void valgrind(const toml::node& n, ValgrindSettings& v) const {
    const auto& t = table(n, "valgrind");
    only_keys(t, "[valgrind]", {"cache_sim", "I1", "D1", "LL"});
    for (auto&& [k, value] : t) {
      const std::string key(k.str());
      if (key == "cache_sim") {
        auto b = value.value<bool>();
        if (!b) fail(value.source(), "'cache_sim' must be true or false");
        v.cache_sim = *b;
        continue;
      }
      std::string geometry = string(value, key);
      int size, assoc, line;
      char rest;
      if (std::sscanf(geometry.c_str(), "%d,%d,%d%c", &size, &assoc, &line, &rest) != 3 || size <= 0 || assoc <= 0 || line <= 0)
        fail(value.source(), fmt::format("'{}' must be \"size,associativity,line_size\" in bytes, like \"32768,8,64\"", key));
      (key == "I1" ? v.i1 : key == "D1" ? v.d1 : v.ll) = geometry;
    }
  }

  BenchmarkConfig benchmark(const toml::node& n, const RunSettings& defaults) const {
    const auto& t = table(n, "benchmark");
    only_keys(t, "[[benchmark]]", {"name", "command", "timeout", "thresholds", "env", "budget", "tool", "wall_clock_only", "heap", "inputs",
                                   "trace_children"});
    BenchmarkConfig b{.name = {}, .command = {}, .settings = defaults, .where = where(n)};
    for (auto&& [k, v] : t) {
      const std::string key(k.str());
      if (key == "name") b.name = string(v, key);
      else if (key == "trace_children") b.settings.trace_children = flag(v, key);
      else if (key == "command") {
        auto* arr = v.as_array();
        if (!arr || arr->empty()) fail(v.source(), "'command' must be a non-empty array of strings, like [\"build/bin/prog\", \"100\"]");
        for (auto& part : *arr) b.command.push_back(string(part, "command"));
        if (b.command[0].empty()) fail(v.source(), "'command' must start with a program, not an empty string");
      } else settings(key, v, b.settings);
    }
    if (b.name.empty()) fail(n.source(), "[[benchmark]] needs a non-empty 'name'");
    if (b.command.empty()) fail(n.source(), fmt::format("benchmark '{}' needs a 'command'", b.name));
    b.command[0] = resolve_program(b.command[0], file_.parent_path()).string();
    return b;
  }

  SuiteConfig suite(const toml::node& n, const RunSettings& defaults, const fs::path& dir) const {
    const auto& t = table(n, "suite");
    only_keys(t, "[[suite]]", {"binary", "timeout", "thresholds", "env", "budget", "tool", "wall_clock_only", "heap", "inputs", "fork", "benchmark"});
    SuiteConfig s{.binary = {}, .settings = defaults, .overrides = {}, .where = where(n)};
    for (auto&& [k, v] : t) {
      const std::string key(k.str());
      if (key == "binary") {
        const std::string program = string(v, key);
        if (program.empty()) fail(v.source(), "'binary' must name a program, like \"build/bin/my_workloads\"");
        s.binary = resolve_program(program, dir);
      }
      else if (key != "benchmark") settings(key, v, s.settings);
    }
    if (s.binary.empty()) fail(n.source(), "[[suite]] needs a 'binary'");
    // After the suite's own keys, whatever their order in the file: overrides start from them.
    if (auto* per_benchmark = t.get("benchmark")) {
      for (auto&& [name, table_node] : table(*per_benchmark, "suite.benchmark")) {
        const auto& bt = table(table_node, fmt::format("suite.benchmark.\"{}\"", name.str()));
        only_keys(bt, fmt::format("[suite.benchmark.\"{}\"]", name.str()), {"timeout", "thresholds", "env", "budget", "tool", "wall_clock_only", "heap", "inputs", "fork"});
        RunSettings own = s.settings;
        for (auto&& [k, v] : bt) settings(std::string(k.str()), v, own);
        s.overrides.emplace(std::string(name.str()), std::move(own));
      }
    }
    return s;
  }

  ArtifactConfig artifact(const toml::node& n, const Thresholds& defaults, const fs::path& dir) const {
    const auto& t = table(n, "artifact");
    only_keys(t, "[[artifact]]", {"name", "path", "thresholds", "budget"});
    ArtifactConfig a{.name = {}, .path = {}, .thresholds = defaults, .where = where(n)};
    for (auto&& [k, v] : t) {
      const std::string key(k.str());
      if (key == "name") a.name = string(v, key);
      else if (key == "path") {
        const std::string path = string(v, key);
        if (path.empty()) fail(v.source(), "'path' must name a file, like \"build/bin/ci-bench\"");
        // A path that cannot be resolved (a symbolic link loop) is kept as written: measuring
        // it fails that artifact alone, with the reason, not the whole run.
        std::error_code unresolved;
        a.path = fs::weakly_canonical(dir / path, unresolved);
        if (unresolved) a.path = (dir / path).lexically_normal();
      }
      else if (key == "thresholds") thresholds(v, a.thresholds);
      else budget(v, a.thresholds);
    }
    if (a.name.empty()) fail(n.source(), "[[artifact]] needs a non-empty 'name'");
    if (a.path.empty()) fail(n.source(), fmt::format("artifact '{}' needs a 'path' (relative to the config)", a.name));
    return a;
  }

  Comparison comparison(const toml::node& n) const {
    const auto& t = table(n, "compare");
    only_keys(t, "[[compare]]", {"name", "baseline", "candidate"});
    Comparison c{.name = {}, .baseline = {}, .candidate = {}, .where = where(n)};
    for (auto&& [k, v] : t) {
      const std::string key(k.str());
      (key == "name" ? c.name : key == "baseline" ? c.baseline : c.candidate) = string(v, key);
    }
    if (c.name.empty() || c.baseline.empty() || c.candidate.empty())
      fail(n.source(), "[[compare]] needs 'name', 'baseline' and 'candidate' (benchmark names)");
    return c;
  }

  fs::path file_;
};

} // namespace

fs::path resolve_program(const std::string& name, const fs::path& base) {
  if (name.find('/') != std::string::npos) return fs::weakly_canonical(base / name);
  return find_on_path(name);
}

Config load_config(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw Error(ErrorKind::config, fmt::format("{}: no such config file (give one with --config FILE)", file.string()));
  return Reader(fs::absolute(file)).read();
}

} // namespace cibench

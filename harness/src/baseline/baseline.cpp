#include "baseline/baseline.hpp"

#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/file_names.hpp"
#include "util/json_counts.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <sstream>

namespace cibench {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool digits(std::string_view s, size_t most) {
  return !s.empty() && s.size() <= most && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// A baseline's line key "file:LINE HASH/N" (or "file:LINE -") as ("file:LINE", "HASH/N"); nothing
// when it is not one.
std::optional<std::pair<std::string, std::string>> line_key_parts(const std::string& key) {
  const auto space = key.rfind(' ');
  if (space == std::string::npos) return std::nullopt;
  const std::string_view at(key.data(), space), text = std::string_view(key).substr(space + 1);
  const auto colon = at.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || !digits(at.substr(colon + 1), 10) || at[colon + 1] == '0')
    return std::nullopt;
  const auto slash = text.find('/');
  const bool hashed = slash == 8 && text.substr(0, 8).find_first_not_of("0123456789abcdef") == std::string_view::npos &&
                      digits(text.substr(9), 9);
  if ((text != "-" && !hashed) || split_line_key(std::string(at)).second == 0) return std::nullopt; // past 2^32 - 1 too
  return std::pair{std::string(at), std::string(text)};
}

} // namespace

fs::path baseline_file(const fs::path& dir, std::string_view name) { return dir / (file_stem(name) + ".json"); }

Baseline parse_baseline(std::string_view text, const std::string& where) {
  const auto bad = [&](const std::string& why) {
    return Error(ErrorKind::baseline, fmt::format("{}: corrupt baseline: {}; fix it, or delete it and run `ci-bench run --update-baselines`",
                             where, why));
  };
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) { // a syntax error, or a number past what a double holds
    throw bad(e.what());
  }
  if (!j.is_object() || !j.contains("schema") || j["schema"] != kBaselineSchema)
    throw bad(fmt::format("expected an object with \"schema\": {}", kBaselineSchema));
  Baseline b;
  if (!j.contains("benchmark") || !j["benchmark"].is_string()) throw bad("no \"benchmark\" name");
  b.benchmark = j["benchmark"].get<std::string>();
  if (!j.contains("metrics") || !j["metrics"].is_object()) throw bad("no \"metrics\" object");
  for (auto& [k, v] : j["metrics"].items()) {
    if (!is_count(v)) throw bad(fmt::format("metric '{}' is not an integer count", k));
    b.metrics[k] = v.get<std::int64_t>();
    if (b.metrics[k] < 0 && !may_be_negative(k)) throw bad(fmt::format("metric '{}' is {}: it cannot be negative", k, b.metrics[k]));
  }
  if (j.contains("fingerprint")) {
    try {
      b.toolchain = j["fingerprint"].get<Toolchain>();
    } catch (const json::exception& e) {
      throw bad(fmt::format("\"fingerprint\" is not an object of strings ({})", e.what()));
    }
  }
  if (j.contains("functions_complete")) {
    if (!j["functions_complete"].is_boolean()) throw bad("\"functions_complete\" is not true or false");
    b.functions_complete = j["functions_complete"].get<bool>();
  }
  if (j.contains("content_fingerprint")) {
    if (!j["content_fingerprint"].is_string()) throw bad("\"content_fingerprint\" is not a string");
    b.content_fingerprint = j["content_fingerprint"].get<std::string>();
  }
  if (j.contains("manifest")) {
    if (!j["manifest"].is_object()) throw bad("\"manifest\" is not an object");
    for (auto& [k, v] : j["manifest"].items()) {
      if (!v.is_string()) throw bad(fmt::format("manifest entry '{}' is not a string", k));
      b.manifest[k] = v.get<std::string>();
    }
  }
  if (j.contains("seconds")) {
    if (!j["seconds"].is_number() || j["seconds"].get<double>() < 0) throw bad("\"seconds\" is not a number of seconds");
    b.seconds = j["seconds"].get<double>();
  }
  const auto counts = [&](const char* key, const char* what, std::map<std::string, std::int64_t>& into) {
    if (!j.contains(key)) return;
    if (!j[key].is_object()) throw bad(fmt::format("\"{}\" is not an object", key));
    for (auto& [k, v] : j[key].items()) {
      if (!is_count(v)) throw bad(fmt::format("{} '{}' is not an integer count", what, k));
      into[k] = v.get<std::int64_t>();
    }
  };
  const auto flag = [&](const char* key, bool& into) {
    if (!j.contains(key)) return;
    if (!j[key].is_boolean()) throw bad(fmt::format("\"{}\" is not true or false", key));
    into = j[key].get<bool>();
  };
  counts("functions", "function", b.functions);
  std::map<std::string, std::int64_t> lines;
  counts("lines", "line", lines);
  for (auto& [key, count] : lines) {
    const auto at_text = line_key_parts(key);
    if (!at_text) throw bad(fmt::format("line '{}' is not \"file:line HASH/N\"", key));
    const auto& [at, text] = *at_text;
    // Past 2^62 a sum of a few could overflow; no run counts that much.
    if (count < 0 || count >= (std::int64_t{1} << 62))
      throw bad(fmt::format("line '{}' counts {} instructions: not a count of one line", key, count));
    if (!b.lines.emplace(at, SourceLine{.instructions = count, .text = text == "-" ? "" : text, .functions = {}}).second)
      throw bad(fmt::format("line {} is there twice", at));
  }
  flag("lines_complete", b.lines_complete);
  counts("allocation_sites_peak", "allocation site", b.allocation_sites_peak);
  counts("allocation_sites_total", "allocation site", b.allocation_sites_total);
  flag("allocation_sites_complete", b.allocation_sites_complete);
  counts("symbols", "symbol", b.symbols);
  flag("symbols_complete", b.symbols_complete);
  return b;
}

std::optional<Baseline> load_baseline(const fs::path& dir, const std::string& benchmark) {
  const fs::path file = baseline_file(dir, benchmark);
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    if (!fs::exists(file)) return std::nullopt;
    throw Error(ErrorKind::baseline, fmt::format("{}: cannot read baseline", file.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  Baseline b = parse_baseline(std::move(text).str(), file.string());
  if (b.benchmark != benchmark)
    throw Error(ErrorKind::baseline,
                fmt::format("{}: corrupt baseline: it is for benchmark '{}', not '{}'; fix it, or delete it and run "
                            "`ci-bench run --update-baselines`", file.string(), b.benchmark, benchmark));
  return b;
}

BaselineLookup find_baseline(const fs::path& dir, const std::string& benchmark) {
  try {
    return {load_baseline(dir, benchmark), std::nullopt};
  } catch (const Error& e) {
    return {std::nullopt, to_failure(e)};
  }
}

void check_baseline_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw Error(ErrorKind::config, fmt::format("baseline_dir {} is not a folder: point baseline_dir at a folder (or "
                                               "remove the file), so that baselines can be found",
                                               dir.string()));
}

void save_baseline(const fs::path& dir, const Baseline& b) { stage_baseline(dir, b).commit(); }

StagedFile stage_baseline(const fs::path& dir, const Baseline& b) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorKind::io, fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  json j = {{"schema", kBaselineSchema}, {"benchmark", b.benchmark}, {"fingerprint", b.toolchain}, {"metrics", b.metrics},
            {"functions", b.functions}, {"functions_complete", b.functions_complete}};
  // Only benchmarks with heap = true and artifacts have these: other baselines keep their shape.
  if (!b.allocation_sites_total.empty()) {
    j["allocation_sites_peak"] = b.allocation_sites_peak;
    j["allocation_sites_total"] = b.allocation_sites_total;
    j["allocation_sites_complete"] = b.allocation_sites_complete;
  }
  if (!b.symbols.empty()) {
    j["symbols"] = b.symbols;
    j["symbols_complete"] = b.symbols_complete;
  }
  if (!b.lines.empty()) {
    json lines = json::object();
    for (auto& [at, line] : b.lines) lines[at + " " + (line.text.empty() ? "-" : line.text)] = line.instructions; // "-": unread
    j["lines"] = lines;
    j["lines_complete"] = b.lines_complete;
  }
  if (!b.content_fingerprint.empty()) j["content_fingerprint"] = b.content_fingerprint;
  if (!b.manifest.empty()) j["manifest"] = b.manifest;
  if (b.seconds) j["seconds"] = *b.seconds;
  return StagedFile(baseline_file(dir, b.benchmark), j.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

std::vector<std::string> baseline_names(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    std::string name = entry.path().stem().string();
    try {
      std::ifstream in(entry.path());
      name = json::parse(in).value("benchmark", name);
    } catch (const std::exception&) {
    }
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> orphaned_baselines(const fs::path& dir, const std::vector<std::string>& known) {
  std::vector<std::string> gone;
  for (auto& name : baseline_names(dir))
    if (std::find(known.begin(), known.end(), name) == known.end()) gone.push_back(name);
  return gone;
}

} // namespace cibench

#include "valgrind/profile.hpp"

#include "util/error.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <limits>

namespace cibench {

Metrics Profile::totals_by_event() const {
  Metrics m;
  for (size_t i = 0; i < events.size() && i < totals.size(); ++i) {
    // 2^62 leaves room for the derived sums (and a real run counts far less).
    if (totals[i] >= (std::uint64_t{1} << 62))
      throw Error(ErrorKind::parse, fmt::format("{} count {} is too large to compare", events[i], totals[i]));
    m[events[i]] = static_cast<std::int64_t>(totals[i]);
  }
  return m;
}

size_t Profile::event_index(const std::string& event) const {
  return static_cast<size_t>(std::find(events.begin(), events.end(), event) - events.begin());
}

namespace {

// A source file as reports name it: relative to the project when inside it. Paths and names come
// from debug info in any encoding (a Latin-1 path, say).
std::string report_file_name(const std::string& file, const std::string& prefix) {
  const bool inside = !prefix.empty() && file.compare(0, prefix.size(), prefix) == 0;
  return valid_utf8(inside ? file.substr(prefix.size()) : file);
}

std::string prefix_of(const std::filesystem::path& project_dir) { return project_dir.empty() ? "" : project_dir.string() + "/"; }

// Keeps the `limit` biggest of a line's functions, biggest first (ties by name, for stable output).
std::vector<std::string> biggest_functions(const std::map<std::string, std::int64_t>& costs, size_t limit = 3) {
  std::vector<std::pair<std::int64_t, std::string>> order;
  for (auto& [name, cost] : costs) order.emplace_back(-cost, name);
  std::sort(order.begin(), order.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < order.size() && i < limit; ++i) out.push_back(order[i].second);
  return out;
}

} // namespace

FunctionInstructions function_instructions(const Profile& p, const std::filesystem::path& project_dir) {
  FunctionInstructions out;
  const size_t ir = p.event_index("Ir");
  if (ir == p.events.size()) return out;
  const std::string prefix = prefix_of(project_dir);
  for (auto& f : p.functions) {
    if (f.self[ir] == 0) continue;
    out[report_file_name(f.file, prefix) + ":" + valid_utf8(f.function)] += static_cast<std::int64_t>(f.self[ir]);
  }
  return out;
}

SourceLines line_instructions(const Profile& p, const std::filesystem::path& project_dir) {
  const std::string prefix = prefix_of(project_dir);
  std::map<std::string, std::map<std::string, std::int64_t>> by_function;
  SourceLines out;
  for (auto& l : p.lines) {
    const FunctionCost& f = p.functions[l.function];
    if (f.file == "???") continue;
    const std::string key = fmt::format("{}:{}", report_file_name(f.file, prefix), l.line);
    const auto count = static_cast<std::int64_t>(l.instructions);
    out[key].instructions += count;
    by_function[key][valid_utf8(f.function)] += count;
  }
  for (auto& [key, functions] : by_function) out[key].functions = biggest_functions(functions);
  return out;
}

void add_lines(SourceLines& into, const SourceLines& more) {
  for (auto& [key, line] : more) {
    SourceLine& to = into[key];
    std::map<std::string, std::int64_t> rank; // order only: earlier functions rank higher
    for (size_t i = 0; i < to.functions.size(); ++i) rank[to.functions[i]] -= static_cast<std::int64_t>(to.functions.size() - i);
    for (size_t i = 0; i < line.functions.size(); ++i) rank[line.functions[i]] -= static_cast<std::int64_t>(line.functions.size() - i);
    to.instructions += line.instructions;
    if (to.text.empty()) to.text = line.text;
    std::map<std::string, std::int64_t> order;
    for (auto& [name, r] : rank) order[name] = -r;
    to.functions = biggest_functions(order);
  }
}

std::pair<std::string, std::uint32_t> split_line_key(const std::string& key) {
  const auto colon = key.rfind(':');
  if (colon == std::string::npos) return {key, 0};
  std::uint32_t line = 0;
  std::from_chars(key.data() + colon + 1, key.data() + key.size(), line);
  return {key.substr(0, colon), line};
}

void add_counts(std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b, const std::string& what) {
  if (a.size() < b.size()) a.resize(b.size());
  for (size_t i = 0; i < b.size(); ++i)
    if (__builtin_add_overflow(a[i], b[i], &a[i])) throw Error(ErrorKind::parse, fmt::format("{}: counts add up past 64 bits", what));
}

} // namespace cibench

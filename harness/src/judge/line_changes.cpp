#include "judge/line_changes.hpp"

#include "judge/function_changes.hpp"
#include "elf/source_functions.hpp"
#include "judge/run_result.hpp"

#include <cstdlib>
#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

namespace cibench {

namespace {

// Where a matching key came from: a "file:line" of the baseline or of the run.
struct Origin {
  std::string file;
  std::uint32_t line = 0;
  std::vector<std::string> functions;
};

// A file's lines match by text only when every line of it, on both sides, has its text.
std::set<std::string> files_matched_by_text(const SourceLines& before, const SourceLines& after) {
  std::set<std::string> files, unread;
  for (auto* side : {&before, &after})
    for (auto& [at, line] : *side) {
      const std::string file = split_line_key(at).first;
      files.insert(file);
      if (line.text.empty()) unread.insert(file);
    }
  for (auto& file : unread) files.erase(file);
  return files;
}

// Each side's lines as counts by matching key ("file\nHASH/N", or "file\n#LINE"), with where each came from.
void keyed(const SourceLines& lines, const std::set<std::string>& by_text, FunctionInstructions& counts,
           std::map<std::string, Origin>& origins) {
  for (auto& [at, line] : lines) {
    auto [file, number] = split_line_key(at);
    const std::string key = file + "\n" + (by_text.count(file) ? line.text : fmt::format("#{}", number));
    counts[key] += line.instructions;
    origins.try_emplace(key, Origin{file, number, line.functions});
  }
}

std::int64_t sum_of(const SourceLines& lines) {
  std::int64_t sum = 0;
  for (auto& [at, line] : lines) sum += line.instructions;
  return sum;
}

} // namespace

bool LineChange::inlined() const {
  if (source_function.empty() || functions.empty()) return false;
  for (auto& f : functions)
    if (SourceFunctions::same_function(source_function, f)) return false;
  return true;
}

LineReport line_changes(const SourceLines& before, bool before_complete, const SourceLines& after,
                        std::int64_t after_instructions, size_t limit) {
  LineReport report;
  if (after_instructions > 0 && 2 * sum_of(after) < after_instructions) {
    report.unavailable = fmt::format("source lines unavailable: {:.0f} % of the instructions have no line debug info; "
                                     "build the program with -g",
                                     100.0 - 100.0 * static_cast<double>(sum_of(after)) / static_cast<double>(after_instructions));
    return report;
  }
  if (before.empty()) {
    report.unavailable = "the baseline keeps no source lines (its program had no line debug info, or an earlier "
                         "ci-bench recorded it): refresh it with `ci-bench run --update-baselines`";
    return report;
  }
  const std::set<std::string> by_text = files_matched_by_text(before, after);
  FunctionInstructions was, now;
  std::map<std::string, Origin> was_at, now_at;
  keyed(before, by_text, was, was_at);
  keyed(after, by_text, now, now_at);
  // A new text where the baseline had a line that is gone: that line was edited. It is one entry,
  // its old count against its new.
  std::map<std::pair<std::string, std::uint32_t>, std::string> gone_at;
  for (auto& [key, count] : was)
    if (!now.count(key)) gone_at[{was_at[key].file, was_at[key].line}] = key;
  std::set<std::string> edited;
  for (auto it = now.begin(); it != now.end();) {
    auto old = was.count(it->first) ? gone_at.end() : gone_at.find({now_at[it->first].file, now_at[it->first].line});
    if (old == gone_at.end()) {
      ++it;
      continue;
    }
    now[old->second] = it->second;
    now_at[old->second] = now_at[it->first];
    edited.insert(old->second);
    gone_at.erase(old);
    it = now.erase(it);
  }
  report.floor = floor_of_kept(was, before_complete);
  for (auto& c : top_function_changes(was, now, before_complete, limit)) {
    const bool is_now = now.count(c.function) > 0;
    const Origin& at = is_now ? now_at[c.function] : was_at[c.function];
    report.changes.push_back({.file = at.file, .line = at.line, .gone = !is_now, .edited = edited.count(c.function) > 0,
                              .before = c.before, .after = c.after, .before_at_most = c.before_at_most, .functions = at.functions});
  }
  return report;
}

void attach_excerpts(RunResult& run, const std::filesystem::path& project_dir) {
  for (auto& r : run.benchmarks) {
    // The biggest change whose file the checkout has (a C library's sources it may not).
    std::vector<const LineChange*> order;
    for (auto& c : r.lines.changes)
      if (!c.gone) order.push_back(&c);
    std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return std::llabs(a->change()) > std::llabs(b->change()); });
    for (auto* c : order)
      if ((r.lines.excerpt = read_excerpt(c->file, c->line, project_dir))) break;
  }
}

} // namespace cibench

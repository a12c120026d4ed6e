#include "app/diff_command.hpp"

#include "valgrind/cachegrind/cachegrind_parser.hpp"
#include "valgrind/callgrind/callgrind_parser.hpp"
#include "util/error.hpp"
#include "judge/function_changes.hpp"
#include "judge/gate.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>

namespace cibench {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string percent(std::int64_t before, std::int64_t after) {
  auto c = change_pct(before, after);
  if (!c || *c == 0) return "(No change)";
  if (std::isinf(*c)) return "(new)";
  return std::abs(*c) < 1 ? fmt::format("({:+.4f}%)", *c) : fmt::format("({:+.2f}%)", *c);
}

void print_function_changes(const FunctionInstructions& before, const FunctionInstructions& after, std::FILE* out) {
  auto changes = top_function_changes(before, after, 15);
  if (changes.empty()) return;
  fmt::print(out, "  functions that changed most (instructions, self):\n");
  for (auto& c : changes) fmt::print(out, "    {:>+12} {:>12} -> {:<12} {}\n", c.change(), c.before, c.after, c.function);
}

Profile read_profile(const fs::path& file) {
  return looks_like_callgrind(file) ? parse_callgrind_files({file}) : parse_cachegrind_file(file);
}

void diff_profiles(const fs::path& old_file, const fs::path& new_file, std::FILE* out) {
  const Profile a = read_profile(old_file), b = read_profile(new_file);
  fmt::print(out, "old: {} ({})\nnew: {} ({})\n\n", old_file.string(), a.cmd, new_file.string(), b.cmd);
  const Metrics ma = a.totals_by_event(), mb = b.totals_by_event();
  for (auto& event : b.events)
    if (ma.count(event))
      fmt::print(out, "  {:<6}{:>14} -> {:<14} {}\n", event, ma.at(event), mb.at(event), percent(ma.at(event), mb.at(event)));
  const fs::path here = fs::current_path();
  print_function_changes(function_instructions(a, here), function_instructions(b, here), out);
}

json read_results(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(fmt::format("{}: cannot open", file.string()));
  try {
    json j = json::parse(in);
    if (!j.contains("benchmarks")) throw Error(fmt::format("{}: not a ci-bench results.json (no \"benchmarks\")", file.string()));
    return j;
  } catch (const json::exception& e) {
    throw Error(fmt::format("{}: not valid JSON: {}", file.string(), e.what()));
  }
}

void diff_results(const fs::path& old_file, const fs::path& new_file, std::FILE* out) {
  const json a = read_results(old_file), b = read_results(new_file);
  std::map<std::string, const json*> old_by_name;
  for (auto& bench : a["benchmarks"]) old_by_name[bench.value("name", "")] = &bench;
  for (auto& bench : b["benchmarks"]) {
    const std::string name = bench.value("name", "");
    auto it = old_by_name.find(name);
    if (it == old_by_name.end()) {
      fmt::print(out, "{}: only in {}\n", name, new_file.string());
      continue;
    }
    const json& before = *it->second;
    old_by_name.erase(it);
    const auto instructions = [](const json& j) { return j["metrics"].value("instructions", std::int64_t{0}); };
    if (!before["metrics"].contains("instructions") || !bench["metrics"].contains("instructions")) {
      fmt::print(out, "{}: no counts on one side (an error?)\n", name);
      continue;
    }
    fmt::print(out, "{}: instructions {} -> {} {}\n", name, instructions(before), instructions(bench),
               percent(instructions(before), instructions(bench)));
    print_function_changes(before.value("functions", FunctionInstructions{}), bench.value("functions", FunctionInstructions{}), out);
  }
  for (auto& [name, j] : old_by_name) fmt::print(out, "{}: only in {}\n", name, old_file.string());
}

} // namespace

void diff_files(const fs::path& old_file, const fs::path& new_file, std::FILE* out) {
  for (auto& f : {old_file, new_file})
    if (!fs::is_regular_file(f)) throw Error(fmt::format("{}: no such file", f.string()));
  if (old_file.extension() == ".json" && new_file.extension() == ".json") diff_results(old_file, new_file, out);
  else diff_profiles(old_file, new_file, out);
}

} // namespace cibench

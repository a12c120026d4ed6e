#include "report/explanation.hpp"

#include "measure/source_text.hpp"
#include "report/terminal_report.hpp"
#include "util/short_name.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace cibench {
namespace fs = std::filesystem;

namespace {

// The `limit` biggest of `counts`, biggest first.
template <class Map, class Count>
std::vector<typename Map::const_iterator> biggest(const Map& counts, Count count, size_t limit) {
  std::vector<typename Map::const_iterator> order;
  for (auto it = counts.begin(); it != counts.end(); ++it) order.push_back(it);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return count(a) != count(b) ? count(a) > count(b) : a->first < b->first; });
  if (order.size() > limit) order.resize(limit);
  return order;
}

double share(std::int64_t part, std::int64_t whole) { return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0; }

} // namespace

void print_explanation(const RunResult& run, const fs::path& out_dir, const fs::path& project_dir, std::FILE* out) {
  for (auto& r : run.benchmarks) {
    const Measurement& m = r.measurement;
    if (!m.ok()) continue;
    const std::int64_t total = m.events.count("Ir") ? m.events.at("Ir") : 0;
    fmt::print(out, "\nWhere {}'s {} instructions go (this run, {}):\n", printable(r.name()), total, m.tool);
    if (!m.functions.empty()) {
      fmt::print(out, "  Functions, by their own instructions:\n");
      for (auto it : biggest(m.functions, [](auto i) { return i->second; }, 10))
        fmt::print(out, "    {:>12} {:>6.2f} %  {}\n", it->second, share(it->second, total), printable_line(short_function_key(it->first), 300));
    }
    if (m.lines.empty()) {
      fmt::print(out, "  Lines: none have line debug info (build the program with -g)\n");
    } else {
      fmt::print(out, "  Source lines, by their own instructions (inlined code at its own line):\n");
      const auto top = biggest(m.lines, [](auto i) { return i->second.instructions; }, 10);
      for (auto it : top) {
        std::vector<std::string> in;
        for (auto& f : it->second.functions) in.push_back(short_name(f));
        fmt::print(out, "    {:>12} {:>6.2f} %  {}{}\n", it->second.instructions, share(it->second.instructions, total),
                   printable_line(it->first, 300), in.empty() ? "" : printable_line(fmt::format(" in {}", fmt::join(in, ", ")), 300));
      }
      std::optional<SourceExcerpt> e; // of the hottest line whose file the checkout has
      for (size_t i = 0; i < top.size() && !e; ++i) {
        const auto [file, line] = split_line_key(top[i]->first);
        e = read_excerpt(file, line, project_dir);
      }
      if (e) print_source_excerpt(*e, out);
    }
    if (!r.flamegraph.empty()) fmt::print(out, "  Flame graph: {}\n", printable((out_dir / r.flamegraph).string()));
    for (auto& f : m.files)
      if (f.find(".callgrind.out") != std::string::npos || f.find(".cachegrind.out") != std::string::npos)
        fmt::print(out, "  Raw profile: {}\n", printable((out_dir / f).string()));
  }
}

} // namespace cibench

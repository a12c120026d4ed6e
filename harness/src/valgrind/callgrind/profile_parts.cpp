#include "valgrind/callgrind/profile_parts.hpp"

#include "util/error.hpp"

#include <fmt/format.h>
#include <map>
#include <string>
#include <utility>

namespace cibench {

void correct_inclusive(Profile& p) {
  std::vector<std::vector<std::uint64_t>> incoming(p.functions.size());
  for (auto& e : p.calls) add_counts(incoming[e.callee], e.inclusive, "inclusive costs");
  for (size_t i = 0; i < p.functions.size(); ++i)
    if (!incoming[i].empty()) {
      incoming[i].resize(p.events.size());
      p.functions[i].inclusive = incoming[i];
    }
}


Profile add_profile_parts(std::vector<Profile> parts, const std::vector<std::filesystem::path>& files) {
  Profile sum = std::move(parts.front());
  std::map<std::pair<std::string, std::string>, size_t> index;
  std::map<std::pair<size_t, size_t>, size_t> edges;
  for (size_t i = 0; i < sum.functions.size(); ++i) index.try_emplace({sum.functions[i].file, sum.functions[i].function}, i);
  for (size_t i = 0; i < sum.calls.size(); ++i) edges.try_emplace({sum.calls[i].caller, sum.calls[i].callee}, i);
  std::map<std::pair<size_t, std::uint32_t>, size_t> lines;
  for (size_t i = 0; i < sum.lines.size(); ++i) lines.try_emplace({sum.lines[i].function, sum.lines[i].line}, i);
  for (size_t k = 1; k < parts.size(); ++k) {
    const Profile& part = parts[k];
    const std::string what = files[k].string();
    if (part.events != sum.events) throw Error(ErrorKind::parse, fmt::format("{}: its events differ from the other parts'", what));
    add_counts(sum.totals, part.totals, what);
    std::vector<size_t> remap;
    for (auto& fn : part.functions) {
      auto [it, added] = index.try_emplace({fn.file, fn.function}, sum.functions.size());
      if (added) sum.functions.push_back({fn.file, fn.function, {}, {}});
      add_counts(sum.functions[it->second].self, fn.self, what);
      add_counts(sum.functions[it->second].inclusive, fn.inclusive, what);
      remap.push_back(it->second);
    }
    for (auto& e : part.calls) {
      auto key = std::make_pair(remap[e.caller], remap[e.callee]);
      auto [it, added] = edges.try_emplace(key, sum.calls.size());
      if (added) sum.calls.push_back({key.first, key.second, 0, {}});
      sum.calls[it->second].count += e.count;
      add_counts(sum.calls[it->second].inclusive, e.inclusive, what);
    }
    for (auto& l : part.lines) {
      auto [it, added] = lines.try_emplace({remap[l.function], l.line}, sum.lines.size());
      if (added) sum.lines.push_back({remap[l.function], l.line, 0});
      if (__builtin_add_overflow(sum.lines[it->second].instructions, l.instructions, &sum.lines[it->second].instructions))
        throw Error(ErrorKind::parse, fmt::format("{}: counts add up past 64 bits", what));
    }
  }
  return sum;
}

} // namespace cibench

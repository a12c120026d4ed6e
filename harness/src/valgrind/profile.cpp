#include "valgrind/profile.hpp"

#include "util/error.hpp"
#include "util/utf8.hpp"

#include <algorithm>
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

FunctionInstructions function_instructions(const Profile& p, const std::filesystem::path& project_dir) {
  FunctionInstructions out;
  const size_t ir = p.event_index("Ir");
  if (ir == p.events.size()) return out;
  const std::string prefix = project_dir.empty() ? "" : project_dir.string() + "/";
  for (auto& f : p.functions) {
    if (f.self[ir] == 0) continue;
    const bool inside = !prefix.empty() && f.file.compare(0, prefix.size(), prefix) == 0;
    // Source paths and names come from debug info in any encoding (a Latin-1 path, say).
    out[valid_utf8((inside ? f.file.substr(prefix.size()) : f.file) + ":" + f.function)] += static_cast<std::int64_t>(f.self[ir]);
  }
  return out;
}

void add_counts(std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b, const std::string& what) {
  if (a.size() < b.size()) a.resize(b.size());
  for (size_t i = 0; i < b.size(); ++i)
    if (__builtin_add_overflow(a[i], b[i], &a[i])) throw Error(ErrorKind::parse, fmt::format("{}: counts add up past 64 bits", what));
}

} // namespace cibench

#include "history/ancestry_order.hpp"

#include "history/git.hpp"
#include "history/record.hpp"

#include <sstream>
#include <unordered_map>

namespace cibench {
namespace {

// Commits of HEAD's first-parent line by their distance from HEAD (0: HEAD).
std::unordered_map<std::string, size_t> first_parent_depths(const std::filesystem::path& checkout) {
  std::istringstream lines(git_or_throw(checkout, {"rev-list", "--first-parent", "HEAD"}));
  std::unordered_map<std::string, size_t> depth;
  std::string sha;
  while (std::getline(lines, sha)) depth.emplace(sha, depth.size());
  return depth;
}

struct Placed {
  size_t depth;
  std::int64_t sequence;
};

} // namespace

void record_in_ancestry_order(Database& db, const std::vector<HistoryPoint>& points, const std::filesystem::path& checkout) {
  if (points.empty()) return;
  const auto depth = first_parent_depths(checkout);
  // The points of the branch and config on the line, read again after each one recorded (places move).
  Statement on_line(db, "SELECT commit_sha, sequence FROM runs WHERE branch = ?1 AND config = ?2 AND commit_sha IS NOT NULL");
  const auto placed = [&] {
    std::vector<Placed> found;
    on_line.bind(1, points.front().commit.branch).bind(2, points.front().config);
    while (on_line.step())
      if (auto it = depth.find(on_line.text(0)); it != depth.end()) found.push_back({it->second, on_line.integer(1)});
    on_line.reset();
    return found;
  };
  // Newest first: each point's newer neighbours are in place before it is placed.
  for (auto p = points.rbegin(); p != points.rend(); ++p) {
    const auto mine = depth.find(p->commit.sha.value_or(""));
    std::optional<std::int64_t> before, own;
    if (mine != depth.end())
      for (const Placed& q : placed()) {
        if (q.depth < mine->second && (!before || q.sequence < *before)) before = q.sequence;
        if (q.depth == mine->second) own = q.sequence;
      }
    if (own && (!before || *own < *before)) before.reset(); // already where ancestry puts it
    record_point(db, *p, before);
  }
}

} // namespace cibench

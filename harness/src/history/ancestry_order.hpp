#pragma once
// import-git's points placed by git ancestry. Points are ordered as they were recorded, but the past
// imported after live recording began is older than what was recorded: on the branch's first-parent
// line, git knows which commit came first, and that order wins over the order of recording.
#include "history/point.hpp"
#include "history/sqlite_db.hpp"

#include <filesystem>
#include <vector>

namespace cibench {

// `points`: oldest first, of one branch and config, each a commit on the first-parent line of HEAD
// in `checkout`. Each goes just before the earliest point of its branch and config whose commit is
// newer on that line; with none newer it keeps the place of the point it replaces or follows the rest.
void record_in_ancestry_order(Database& db, const std::vector<HistoryPoint>& points, const std::filesystem::path& checkout);

} // namespace cibench

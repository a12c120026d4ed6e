#pragma once
// Writing a point into the history: one transaction, so a reader sees all of a run or none of it.
// A point with the same commit, config and branch as one already there replaces it and takes its
// place; any other point follows every point recorded before it (whatever time its commit claims).
#include "history/point.hpp"
#include "history/sqlite_db.hpp"

#include <optional>

namespace cibench {

// `before`: the sequence of the point this one goes just before (git ancestry known to the caller),
// later points moving up one. Returns the point's run id.
std::int64_t record_point(Database& db, const HistoryPoint& point, std::optional<std::int64_t> before = std::nullopt);

} // namespace cibench

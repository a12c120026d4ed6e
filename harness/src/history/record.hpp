#pragma once
// Writing a point into the history: one transaction, so a reader sees all of a run or none of it.
// A point with the same commit, config and branch as one already there replaces it and takes its
// place; any other point follows every point recorded before it (whatever time its commit claims).
#include "history/point.hpp"
#include "history/sqlite_db.hpp"

namespace cibench {

// Returns the point's run id.
std::int64_t record_point(Database& db, const HistoryPoint& point);

} // namespace cibench

#pragma once
// Reading a window of the history back: the last N points of a branch, oldest first, and for each
// benchmark its status and counts at each of them. Answers from the file alone.
#include "history/sqlite_db.hpp"
#include "judge/allocation_sites.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace cibench {

struct HistoryRun {
  std::int64_t id = 0;
  std::string commit; // "" when the run had none
  std::string parent;
  std::string branch;
  std::int64_t time = 0; // the time the commit claims: shown, never sorted on
  std::string source;
};

using Column = std::vector<std::optional<std::int64_t>>; // one value per run of the window, or none

struct BenchmarkHistory {
  std::string name;
  std::vector<std::optional<std::string>> status; // per run; none: not in that run
  std::map<std::string, Column, std::less<>> metrics; // each column as long as the window's runs
};

struct HistoryWindow {
  std::vector<HistoryRun> runs; // in the order they were recorded, the first first
  std::vector<BenchmarkHistory> benchmarks; // by name
};

struct WindowQuery {
  std::string branch;                 // "" every branch
  int last = 20;                      // points
  std::optional<std::regex> filter;   // benchmark names searched with it
  std::string metric;                 // "" every metric
  std::optional<std::int64_t> run;    // set: that run alone, whatever its branch
};

// One statement per table for the whole window, whatever its size.
HistoryWindow read_window(Database& db, const WindowQuery& query);

// What one benchmark's point holds besides its counts: its top functions' self instructions and
// its top allocation sites' bytes (empty when none were recorded).
struct PointCosts {
  std::map<std::string, std::int64_t> functions;
  AllocationSites allocation_sites;
};
PointCosts costs_at(Database& db, std::int64_t run_id, const std::string& benchmark);

// The branches with points, and how many each has.
std::map<std::string, int> branch_counts(Database& db);

} // namespace cibench

#pragma once
// What a Valgrind output file says, whichever tool wrote it: totals per event and cost per function.
#include "metrics/metrics.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cibench {

struct FunctionCost {
  std::string file;
  std::string function;
  std::vector<std::uint64_t> self;      // one per event
  std::vector<std::uint64_t> inclusive; // self and what it calls (Callgrind only; empty otherwise)
};

struct CallEdge {
  size_t caller; // index into Profile::functions
  size_t callee;
  std::uint64_t count = 0;
  std::vector<std::uint64_t> inclusive; // cost of the calls, callee's subtree included
};

struct Profile {
  std::string cmd;
  std::vector<std::string> desc;
  std::vector<std::string> events;
  std::vector<std::uint64_t> totals;
  std::vector<FunctionCost> functions;
  std::vector<CallEdge> calls; // Callgrind only

  Metrics totals_by_event() const; // throws Error when a total does not fit a signed 64-bit count
  size_t event_index(const std::string& event) const; // events.size() when absent
};

// Self instructions per function, keyed "file:function" as cg_annotate and callgrind_annotate
// name them, with files under `project_dir` made relative to it so two checkouts compare equal.
using FunctionInstructions = std::map<std::string, std::int64_t>;
FunctionInstructions function_instructions(const Profile& profile, const std::filesystem::path& project_dir);

// Adds b to a element by element; throws Error (naming `what`) past 64 bits.
void add_counts(std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b, const std::string& what);

} // namespace cibench

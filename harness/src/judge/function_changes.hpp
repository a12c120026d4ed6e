#pragma once
// "Where did it get slower": per-function instruction changes between a baseline and a run.
#include "valgrind/profile.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct FunctionChange {
  std::string function; // "file:function"
  std::int64_t before = 0;
  std::int64_t after = 0;
  // The baseline did not keep it: `before` is an upper bound (its smallest kept entry), so the
  // change is at least change().
  bool before_at_most = false;
  // after = 0 and its code now runs inlined in these functions (from the program's DWARF: see
  // report/flamegraphs.hpp), so its instructions count in theirs: not a function that got faster.
  std::vector<std::string> inlined_into;
  std::int64_t change() const { return after - before; }
};

// The functions that changed most, biggest change first: as many as it takes to account for 90 %
// of the net change (at most `limit`). `after` lists every function; a function it lacks counts 0.
// A function `before` lacks counts 0 there only when `before_complete`. Otherwise the baseline kept
// only its top functions, down to its smallest: one it lacks that is now above that smallest is
// listed with `before_at_most` (new, or grown from below); one below it has no change to claim.
std::vector<FunctionChange> top_function_changes(const FunctionInstructions& before, const FunctionInstructions& after,
                                                 bool before_complete, size_t limit = 10);

// When a baseline kept only its biggest entries (not `complete`): the smallest one kept, below
// which a change cannot be told. Nothing when every entry was kept.
std::optional<std::int64_t> floor_of_kept(const FunctionInstructions& kept, bool complete);

// The functions worth keeping in a baseline: the biggest, until they cover `coverage` of all
// instructions, at most `limit` of them. `complete` is set when every function was kept.
struct KeptFunctions {
  FunctionInstructions functions;
  bool complete = false;
};
KeptFunctions keep_top_functions(const FunctionInstructions& all, double coverage = 0.99, size_t limit = 40);

// The functions worth keeping in a baseline: the biggest, until they cover `coverage` of all
// instructions, at most `limit` of them.
FunctionInstructions top_functions(const FunctionInstructions& all, double coverage = 0.99, size_t limit = 40);

} // namespace cibench

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

// One source line's own instructions inside one function. For inlined code, `function` is the
// function it was inlined into, and that FunctionCost's `file` is the line's own file (fi=/fe=).
struct LineCost {
  size_t function; // index into Profile::functions
  std::uint32_t line = 0;
  std::uint64_t instructions = 0;
};

struct Profile {
  std::string cmd;
  std::vector<std::string> desc;
  std::vector<std::string> events;
  std::vector<std::uint64_t> totals;
  std::vector<FunctionCost> functions;
  std::vector<CallEdge> calls; // Callgrind only
  std::vector<LineCost> lines; // lines with debug info (line > 0) and Ir; none without an Ir event

  Metrics totals_by_event() const; // throws Error when a total does not fit a signed 64-bit count
  size_t event_index(const std::string& event) const; // events.size() when absent
};

// Self instructions per function, keyed "file:function" as cg_annotate and callgrind_annotate
// name them, with files under `project_dir` made relative to it so two checkouts compare equal.
using FunctionInstructions = std::map<std::string, std::int64_t>;
FunctionInstructions function_instructions(const Profile& profile, const std::filesystem::path& project_dir);

// One source line's own instructions in a run. A line inlined into several functions is one line.
struct SourceLine {
  std::int64_t instructions = 0;
  // Which line of its file this is by its text, so that a line moved by lines added above it is
  // still the same line: "HASH/N", the N-th line (from 0) of the file with that trimmed text.
  // "" when the file could not be read.
  std::string text;
  std::vector<std::string> functions; // the functions its code ran in, most instructions first (at most 3)
};
using SourceLines = std::map<std::string, SourceLine>; // "file:line", files as in FunctionInstructions

// Self instructions per source line (lines without debug info are not there).
SourceLines line_instructions(const Profile& profile, const std::filesystem::path& project_dir);

// Adds `more` into `into`: instructions summed, the functions merged, biggest first.
void add_lines(SourceLines& into, const SourceLines& more);

// The file of a "file:line" key, and its line.
std::pair<std::string, std::uint32_t> split_line_key(const std::string& key);

// Adds b to a element by element; throws Error (naming `what`) past 64 bits.
void add_counts(std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b, const std::string& what);

} // namespace cibench

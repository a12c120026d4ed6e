#pragma once
// "Which line got slower": the source lines whose own instructions changed most between a
// baseline and a run. Lines are matched by their text (SourceLine::text), so lines that only moved
// (lines added above them) match, and inlined code counts once, at its own line.
#include "measure/source_text.hpp"
#include "valgrind/profile.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct LineChange {
  std::string file;
  std::uint32_t line = 0;         // this run's line; the baseline's when the line is gone (`gone`)
  bool gone = false;              // no line of this run has its text
  bool edited = false;            // this run's line at the baseline's place has new text; `before` is the old text's
  std::int64_t before = 0;
  std::int64_t after = 0;
  bool before_at_most = false;    // as FunctionChange: the baseline did not keep it, `before` is its floor
  std::vector<std::string> functions; // the functions its code ran in (the baseline does not keep them for a gone line)
  // The function whose source the line is (from the program's DWARF, report/flamegraphs.hpp), ""
  // unknown. When it is none of `functions`, the line is inlined code of it.
  std::string source_function;
  bool inlined() const;
  std::int64_t change() const { return after - before; }
};

struct LineReport {
  std::vector<LineChange> changes;
  std::optional<std::int64_t> floor; // as function_changes_floor
  std::string unavailable;           // why no lines are listed ("" when they are)
  std::optional<SourceExcerpt> excerpt; // around the biggest change that is a line of this run
};

// The lines that changed most: enough to account for 90 % of the net change, at most `limit`.
// `after_instructions`: the run's Ir, to tell a program without line debug info (lines hold under
// half of it) from one whose lines did not change.
LineReport line_changes(const SourceLines& before, bool before_complete, const SourceLines& after,
                        std::int64_t after_instructions, size_t limit = 10);

struct RunResult;
// Sets each benchmark's excerpt from the checkout (relative files are under `project_dir`).
void attach_excerpts(RunResult& run, const std::filesystem::path& project_dir);

} // namespace cibench

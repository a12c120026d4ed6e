#pragma once
// The gate's flame graphs: for each benchmark whose instructions changed (fail, warn, improved),
// NAME.flamegraph.svg in the --out folder, widths from this run's profile, colours from the
// changed lines (inlined code drawn as its own frame, named from the program's DWARF).
#include "judge/run_result.hpp"
#include "plan/plan.hpp"

#include <filesystem>
#include <vector>

namespace cibench {

// Sets each benchmark's `flamegraph`. A graph that cannot be drawn (no profile: reused counts, a
// region counted by calibration) is not written; every benchmark's graph of an earlier run is
// removed first, so none is left from another run.
// `every`: for every benchmark measured, changed or not (ci-bench explain).
void write_flamegraphs(RunResult& run, const std::filesystem::path& out_dir, const std::vector<BenchmarkPlan>& plan,
                       const std::filesystem::path& project_dir, bool every = false);

// The frame a line's change colours: the function whose source it is, " [inlined]" when that is
// not a function it ran in; else the first function it ran in.
std::string frame_of_line(const std::string& source_function, const std::vector<std::string>& ran_in);

} // namespace cibench

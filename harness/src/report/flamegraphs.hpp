#pragma once
// The gate's flame graphs: for each benchmark whose instructions changed (fail, warn, improved),
// NAME.flamegraph.svg in the --out folder, widths from this run's profile, colours from the
// changed lines (inlined code drawn as its own frame, named from the program's DWARF).
#include "elf/source_functions.hpp"
#include "judge/run_result.hpp"
#include "plan/plan.hpp"
#include "valgrind/callgrind/folded_stacks.hpp"

#include <filesystem>
#include <functional>
#include <vector>

namespace cibench {

// Sets each benchmark's `flamegraph`. A graph that cannot be drawn (no profile: reused counts, a
// region counted by calibration) is not written; every benchmark's graph of an earlier run is
// removed first, so none is left from another run.
// `every`: for every benchmark measured, changed or not (ci-bench explain).
void write_flamegraphs(RunResult& run, const std::filesystem::path& out_dir, const std::vector<BenchmarkPlan>& plan,
                       const std::filesystem::path& project_dir, bool every = false);

// A profile's own instructions that are another function's inlined code (named from `sources`),
// per function it ran in: the frames "g [inlined]" that folded_stacks draws above f. Names go
// through `stable` (a suite body's CIBENCH_BENCHMARK(NAME)).
InlinedCosts inlined_costs(const Profile& profile, const SourceFunctions& sources, const std::filesystem::path& project_dir,
                           const std::function<std::string(const std::string&)>& stable);

// The frame a line's change colours: the function whose source it is, " [inlined]" when that is
// not a function it ran in; else the first function it ran in.
std::string frame_of_line(const std::string& source_function, const std::vector<std::string>& ran_in);

} // namespace cibench

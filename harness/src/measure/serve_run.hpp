#pragma once
// A served run: one Valgrind start for several benchmarks of one suite program. The program starts
// once under Callgrind (instrumentation off), then its --serve loop forks a child per benchmark;
// each child moves into a sandbox of its own and runs setup and the body as --run would, and
// Valgrind writes its profile and log under its pid. A benchmark counts the same alone, among
// others, in any order and in a process of its own (`fork = false`): docs/how-it-measures.md
// says why and what still differs; tests/integration/test_serve.py checks it on every suite.
#include "measure/measure.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cibench {

// Whether `b` is measured in a served run: a suite benchmark under a tool that counts its region
// in one run (Callgrind), with fork not turned off.
bool servable(const BenchmarkPlan& b, const MeasureContext& context);

// Servable benchmarks with the same key may share a run: the same program, tool and environment.
std::string serve_key(const BenchmarkPlan& b, const MeasureContext& context);

struct ServeOutcome {
  // Per benchmark of the chunk: its counts or failure; nullopt when the served run ended before
  // it (it is then measured in a process of its own).
  std::vector<std::optional<ServedCounts>> results;
  std::string fallback; // why some were not served: said once on stderr
};

// Measures `chunk` (servable benchmarks of one serve_key) in one served run, two with --verify.
// `label` tells this ci-bench run's served runs apart ("storage.2"): the program's own files are
// LABEL+serve.* in the --out folder. Throws Error(interrupted) when the run was interrupted.
ServeOutcome serve(const std::vector<const BenchmarkPlan*>& chunk, const MeasureContext& context, const std::string& label);

// Removes what served runs of an earlier ci-bench run left in `out_dir` (their numbers differ).
void remove_stale_served_files(const std::filesystem::path& out_dir);

} // namespace cibench

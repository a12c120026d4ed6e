#pragma once
// Stage 3, judge: a measurement set against the baselines and the thresholds. Pure: the baselines
// are read before (find_baseline), nothing is written here.
#include "judge/run_result.hpp"
#include "plan/plan.hpp"

#include <map>
#include <string>
#include <vector>

namespace cibench {

BenchmarkResult judge_benchmark(Measurement measurement, BaselineLookup found, const Thresholds& thresholds);

// A benchmark's verdict: judge() and what else decides its status. A baseline from another
// toolchain (`comparable` false) is shown beside each count, never compared, so only budgets judge;
// counts that moved under the same code (`unstable`) are nondeterministic; a failure is an error.
// `baseline`: nullptr when there is none. judge_benchmark uses it, and `merge` to judge the
// shards' entries again from what results.json keeps.
Verdict judge_verdict(const Metrics& current, const Metrics* baseline, bool comparable, bool unstable, bool failed,
                      const Thresholds& thresholds);

// Judges every measurement of `set` (with the thresholds of its plan entry, matched by name) and
// the [[compare]] declarations among them.
RunResult judge_run(MeasurementSet set, const std::map<std::string, BaselineLookup>& baselines,
                    const std::vector<BenchmarkPlan>& plan, const std::vector<Comparison>& declared);

} // namespace cibench

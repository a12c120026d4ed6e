#pragma once
// Stage 3, judge: a measurement set against the baselines and the thresholds. Pure: the baselines
// are read before (find_baseline), nothing is written here.
#include "judge/run_result.hpp"
#include "measure/plan.hpp"

#include <map>
#include <string>
#include <vector>

namespace cibench {

BenchmarkResult judge_benchmark(Measurement measurement, BaselineLookup found, const Thresholds& thresholds);

// Judges every measurement of `set` (with the thresholds of its plan entry, matched by name) and
// the [[compare]] declarations among them.
RunResult judge_run(MeasurementSet set, const std::map<std::string, BaselineLookup>& baselines,
                    const std::vector<BenchmarkPlan>& plan, const std::vector<Comparison>& declared);

} // namespace cibench

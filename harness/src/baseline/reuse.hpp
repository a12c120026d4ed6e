#pragma once
// Skipping what cannot have changed: a benchmark whose content fingerprint and toolchain equal its
// baseline's, and every entry of whose run manifest (the files its process tree read, looked for
// or listed) is as it was, would count exactly what the baseline counted, so the baseline's counts
// are reused instead of running Valgrind.
#include "baseline/baseline.hpp"
#include "measure/measure.hpp"

#include <optional>

namespace cibench {

// The measurement the baseline stands for (`reused` set, no files, no seconds), or nullopt when
// the benchmark must be measured: no baseline, an unknown or different fingerprint, no manifest,
// a manifest entry that changed, another toolchain, a setup failure, or counts no run can give.
std::optional<Measurement> reuse_baseline(const BenchmarkPlan& benchmark, const std::string& content_fingerprint,
                                          const Toolchain& toolchain, const BaselineLookup& found, Observer& observer);

} // namespace cibench

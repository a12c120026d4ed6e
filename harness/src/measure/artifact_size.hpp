#pragma once
// [[artifact]]: the size of a built file, measured without running it (kSizeMetrics).
#include "measure/measure.hpp"

namespace cibench {

// Fills m.events with kSizeMetrics and m.symbols with the file's symbol sizes. Throws
// Error(setup) when the file is missing (naming where the config declared it), Error(parse) when
// it is not ELF.
void measure_artifact(const BenchmarkPlan& artifact, Measurement& m);

} // namespace cibench

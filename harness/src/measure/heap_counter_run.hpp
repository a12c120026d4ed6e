#pragma once
// A suite benchmark's heap figures, counted natively: one run of `PROGRAM --heap-count NAME`
// without Valgrind, with ci-bench's heap counter (harness/heap_counter/) in LD_PRELOAD. The same
// figures DHAT gives for the body, exact, in the time of a native run; DHAT runs only to name the
// allocation sites (heap_run.hpp).
#include "measure/measure.hpp"

#include <filesystem>

namespace cibench {

// The counter library beside the driver (lib/ci-bench/libcibench-heap.so from its bin folder).
// Throws Error(setup) naming the path when it is missing.
std::filesystem::path heap_counter_library();

// The body's heap metrics (metrics_of(MetricSource::dhat)). Adds the run's files to m.files and
// its time to m.seconds. Throws Error naming the run when it fails, times out, or leaves no
// complete figures.
Metrics count_heap_natively(const BenchmarkPlan& benchmark, const MeasureContext& context, Measurement& m);

} // namespace cibench

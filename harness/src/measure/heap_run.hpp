#pragma once
// `heap = true`: one more run of a benchmark, under DHAT, in the same sandbox conditions as the
// count run (cleared environment, fixed-length paths). A suite benchmark runs with --heap, so that
// only its body's allocations count (heap_figures.hpp).
#include "measure/measure.hpp"

namespace cibench {

// Adds the heap metrics to m.events and the allocation sites to `m`, the run's files to m.files
// and its time to m.seconds. Throws Error with the kind of fault, naming the benchmark's source.
void measure_heap(const BenchmarkPlan& benchmark, const MeasureContext& context, Measurement& m);

// DHAT's arguments after --tool=dhat: each process's JSON profile as `files` names it, stacks deep
// enough to reach the body's frame, full source paths so that project frames can be told from the rest.
std::vector<std::string> dhat_arguments(const RunFiles& files);

} // namespace cibench

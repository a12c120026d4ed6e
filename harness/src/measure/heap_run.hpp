#pragma once
// `heap = true`: the heap figures of a benchmark, in the same sandbox conditions as the count run
// (cleared environment, fixed-length paths).
//   A suite benchmark: its body's figures are counted natively by the heap counter
//   (heap_counter_run.hpp), and DHAT runs (--heap, and --heap-peak for a body that allocates) only
//   when the allocation sites are wanted: the figures moved from the baseline's, or baselines are
//   being written (MeasureContext::explain_heap). --verify runs the counter twice and DHAT once,
//   and every figure must agree.
//   A plain program: one DHAT run of its process tree gives figures and sites.
#include "measure/measure.hpp"

namespace cibench {

// Adds the heap metrics to m.events and the allocation sites (when measured) to `m`, the run's files to m.files
// and its time to m.seconds. Throws Error with the kind of fault, naming the benchmark's source.
void measure_heap(const BenchmarkPlan& benchmark, const MeasureContext& context, Measurement& m);

// DHAT's arguments after --tool=dhat: each process's JSON profile as `files` names it, stacks deep
// enough to reach the body's frame, full source paths so that project frames can be told from the rest.
std::vector<std::string> dhat_arguments(const RunFiles& files);

} // namespace cibench

#pragma once
// What yields a benchmark's metrics: one producer per source of the metric table (metrics.hpp).
// The count run under Cachegrind or Callgrind (a ValgrindTool), DHAT's heap run, an ELF file's
// sizes; measure() asks each in turn. A new source of metrics is a producer here, its rows in the
// table, and its code beside the others (measure.cpp, heap_run.cpp, artifact_size.cpp).
#include "measure/measure.hpp"
#include "metrics/metrics.hpp"

#include <vector>

namespace cibench {

class MetricProducer {
public:
  virtual ~MetricProducer() = default;
  virtual MetricSource source() const = 0;
  virtual bool measures(const BenchmarkPlan& benchmark) const = 0;
  // Adds its metrics (and its detail lists, files and seconds) to `m`. Throws Error with the kind of fault.
  virtual void produce(const BenchmarkPlan& benchmark, const MeasureContext& context, Measurement& m) const = 0;
};

// In the order they run: the sizes of an [[artifact]] (no Valgrind), the count run, the heap run.
const std::vector<const MetricProducer*>& metric_producers();

} // namespace cibench

#include "measure/metric_producers.hpp"

#include "measure/artifact_size.hpp"
#include "measure/heap_run.hpp"

namespace cibench {
namespace {

class ElfSizesProducer : public MetricProducer {
public:
  MetricSource source() const override { return MetricSource::elf; }
  bool measures(const BenchmarkPlan& b) const override { return b.kind == BenchmarkPlan::Kind::artifact; }
  void produce(const BenchmarkPlan& b, const MeasureContext&, Measurement& m) const override {
    // No Valgrind: sizes depend on the compiler alone.
    m.tool = m.toolchain.tool = "size";
    m.toolchain.valgrind = m.toolchain.cache = "";
    measure_artifact(b, m);
  }
};

class CountRunProducer : public MetricProducer {
public:
  MetricSource source() const override { return MetricSource::count_run; }
  bool measures(const BenchmarkPlan& b) const override { return b.kind != BenchmarkPlan::Kind::artifact; }
  void produce(const BenchmarkPlan& b, const MeasureContext& ctx, Measurement& m) const override { measure_counts(b, ctx, m); }
};

class HeapRunProducer : public MetricProducer {
public:
  MetricSource source() const override { return MetricSource::dhat; }
  bool measures(const BenchmarkPlan& b) const override { return b.kind != BenchmarkPlan::Kind::artifact && b.settings.heap; }
  void produce(const BenchmarkPlan& b, const MeasureContext& ctx, Measurement& m) const override { measure_heap(b, ctx, m); }
};

} // namespace

const std::vector<const MetricProducer*>& metric_producers() {
  static const ElfSizesProducer sizes;
  static const CountRunProducer counts;
  static const HeapRunProducer heap;
  static const std::vector<const MetricProducer*> all = {&sizes, &counts, &heap};
  return all;
}

} // namespace cibench

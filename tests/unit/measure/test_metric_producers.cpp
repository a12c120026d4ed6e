// Every source of the metric table but the derived one (computed from the count run's events) has
// exactly one producer, and an [[artifact]] is measured by its sizes alone.
#include "measure/metric_producers.hpp"

#include <boost/test/unit_test.hpp>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(metric_producers_suite)

BOOST_AUTO_TEST_CASE(each_measured_source_of_the_table_has_one_producer) {
  for (auto& metric : kMetricTable) {
    if (metric.source == MetricSource::derived) continue;
    int producers = 0;
    for (const MetricProducer* p : metric_producers()) producers += p->source() == metric.source;
    BOOST_TEST(producers == 1, metric.name << ": " << producers << " producers of its source " << to_string(metric.source));
  }
}

BOOST_AUTO_TEST_CASE(an_artifact_is_measured_by_its_sizes_alone_and_a_heap_benchmark_by_two_runs) {
  BenchmarkPlan artifact;
  artifact.kind = BenchmarkPlan::Kind::artifact;
  BenchmarkPlan heap;
  heap.settings.heap = true;
  std::vector<MetricSource> for_artifact, for_heap;
  for (const MetricProducer* p : metric_producers()) {
    if (p->measures(artifact)) for_artifact.push_back(p->source());
    if (p->measures(heap)) for_heap.push_back(p->source());
  }
  BOOST_TEST((for_artifact == std::vector{MetricSource::elf}));
  BOOST_TEST((for_heap == std::vector{MetricSource::count_run, MetricSource::dhat}));
}

BOOST_AUTO_TEST_SUITE_END()

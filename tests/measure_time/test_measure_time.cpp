// measure_time with instrumentation on (this executable is built with CIBENCH_INSTRUMENTATION).
#define BOOST_TEST_MODULE measure_time tests
#include <cibench/measure_time.hpp>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

const cibench::timing::LabelStats* find(const std::vector<cibench::timing::LabelStats>& all, const std::string& path) {
  for (auto& s : all)
    if (s.path == path) return &s;
  return nullptr;
}

int answer() {
  CIBENCH_MEASURE_TIME("answer");
  return 42;
}

void sleepy(int us) {
  CIBENCH_MEASURE_TIME("sleepy");
  std::this_thread::sleep_for(std::chrono::microseconds(us));
}

} // namespace

BOOST_AUTO_TEST_CASE(nested_timers_form_a_hierarchy_and_expressions_keep_their_value) {
  for (int i = 0; i < 3; ++i) {
    CIBENCH_MEASURE_TIME("outer");
    int v = CIBENCH_MEASURE_TIME_EXPR("inner", answer() + 1);
    BOOST_TEST(v == 43);
  }
  auto all = cibench::timing::snapshot();
  auto* outer = find(all, "outer");
  auto* inner = find(all, "outer/inner");
  auto* leaf = find(all, "outer/inner/answer");
  BOOST_REQUIRE(outer && inner && leaf);
  BOOST_TEST(outer->count == 3u);
  BOOST_TEST(inner->count == 3u);
  BOOST_TEST(leaf->count == 3u);
  BOOST_TEST(outer->total_ns >= inner->total_ns);
  BOOST_TEST(!find(all, "answer")); // only ever called inside outer/inner
}

BOOST_AUTO_TEST_CASE(percentiles_lie_between_min_and_max_and_see_the_slow_calls) {
  for (int i = 0; i < 95; ++i) sleepy(0);
  for (int i = 0; i < 5; ++i) sleepy(20'000); // 20 ms: the slowest 5 %
  auto all = cibench::timing::snapshot();
  auto* s = find(all, "sleepy");
  BOOST_REQUIRE(s);
  BOOST_TEST(s->count == 100u);
  BOOST_TEST(s->min_ns <= s->p50_ns);
  BOOST_TEST(s->p50_ns <= s->p95_ns);
  BOOST_TEST(s->p95_ns <= s->p99_ns);
  BOOST_TEST(s->p99_ns <= s->max_ns);
  BOOST_TEST(s->p50_ns < 5'000'000u);   // the quick half
  BOOST_TEST(s->p99_ns >= 18'000'000u); // a 20 ms call, within the histogram's 9 %
  BOOST_TEST(s->max_ns >= 20'000'000u);
}

BOOST_AUTO_TEST_CASE(threads_record_without_losing_counts) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([] {
      for (int i = 0; i < 10'000; ++i) {
        CIBENCH_MEASURE_TIME("threaded");
      }
    });
  for (auto& t : threads) t.join();
  auto* s = find(cibench::timing::snapshot(), "threaded");
  BOOST_REQUIRE(s);
  BOOST_TEST(s->count == 40'000u); // every thread's figures survive its end
}

BOOST_AUTO_TEST_CASE(json_lines_name_every_label) {
  { CIBENCH_MEASURE_TIME("json \"quoted\" label"); }
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* f = open_memstream(&buffer, &size);
  cibench::timing::write_json_lines(f);
  std::fclose(f);
  std::string text(buffer, size);
  std::free(buffer);
  BOOST_TEST(text.find("{\"label\":\"json \\\"quoted\\\" label\",\"count\":1,") != std::string::npos, text);
  BOOST_TEST(text.find("\"label\":\"outer/inner\"") != std::string::npos);
  BOOST_TEST(text.find("\"p99_ns\":") != std::string::npos);
}

// The TSC's rate is calibrated against steady_clock: a span timed by both must agree. 30 ms of
// busy waiting (no sleep, so no scheduler rounding), compared with steady_clock's reading of it.
BOOST_AUTO_TEST_CASE(the_timer_agrees_with_steady_clock) {
  const auto start = std::chrono::steady_clock::now();
  {
    CIBENCH_MEASURE_TIME("busy");
    while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(30)) {
    }
  }
  const double steady_ns = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
  auto all = cibench::timing::snapshot();
  auto* busy = find(all, "busy");
  BOOST_REQUIRE(busy);
  BOOST_TEST(static_cast<double>(busy->total_ns) <= steady_ns * 1.01);  // inside the outer reading, give or take 1 %
  BOOST_TEST(static_cast<double>(busy->total_ns) >= 30'000'000 * 0.99); // and at least the 30 ms waited
  BOOST_TEST_MESSAGE("clock: " << (cibench::timing::detail::tick_clock().tsc ? "invariant TSC" : "steady_clock")
                               << ", " << cibench::timing::detail::tick_clock().ns_per_tick << " ns a tick");
}

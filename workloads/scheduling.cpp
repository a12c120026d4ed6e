// Scheduling: the retry backoff schedule (computed, never slept) and a priority queue of tasks.
#include "backoff.hpp"

#include <cibench/workload.hpp>

#include <algorithm>
#include <cstdint>
#include <queue>
#include <random>
#include <string>
#include <vector>

namespace {

struct Task {
  int priority;
  std::uint64_t sequence; // FIFO among equal priorities
  std::string name;
  bool operator<(const Task& o) const { return priority != o.priority ? priority < o.priority : sequence > o.sequence; }
};

} // namespace

// The schedules of 1000 operations retried 10 times each.
CIBENCH_BENCHMARK("retry.exponential_backoff", bench) {
  std::mt19937 rng(2024);
  std::int64_t total_ms = 0;
  bench.measure([&] {
    for (int op = 0; op < 1000; ++op)
      for (int attempt = 0; attempt < 10; ++attempt) total_ms += workloads::backoff_ms(attempt, rng);
  });
  cibench::black_box(total_ms);
}

// 10 000 tasks: pushed in bursts of 10, with 5 popped after each burst, then drained.
CIBENCH_BENCHMARK("scheduler.priority_queue", bench) {
  std::mt19937 rng(99);
  std::vector<Task> tasks;
  for (std::uint64_t i = 0; i < 10'000; ++i) tasks.push_back({static_cast<int>(rng() % 16), i, "task-" + std::to_string(i)});
  std::uint64_t checksum = 0;
  bench.measure([&] {
    std::priority_queue<Task> queue;
    for (size_t i = 0; i < tasks.size(); ++i) {
      queue.push(tasks[i]);
      if (i % 10 == 9)
        for (int k = 0; k < 5; ++k) {
          checksum = checksum * 31 + queue.top().sequence;
          queue.pop();
        }
    }
    while (!queue.empty()) {
      checksum = checksum * 31 + queue.top().sequence;
      queue.pop();
    }
  });
  cibench::black_box(checksum);
}

CIBENCH_MAIN()

// Hash maps: building and probing std::unordered_map. std::hash<long> is the identity on
// libstdc++, so bucket placement (and the counts) never depends on addresses or seeds.
#include <cibench/workload.hpp>

#include <unordered_map>

namespace {
constexpr long kKeys = 20'000;
long key(long i) { return (i * 2654435761L) % 1'000'003; }
} // namespace

CIBENCH_BENCHMARK("hashmap.insert.20k", bench) {
  std::unordered_map<long, long> map;
  bench.measure([&] {
    for (long i = 0; i < kKeys; ++i) map[key(i)] = i;
  });
  cibench::black_box(map);
}

CIBENCH_BENCHMARK("hashmap.lookup.20k", bench) {
  std::unordered_map<long, long> map;
  for (long i = 0; i < kKeys; ++i) map[key(i)] = i;
  long hits = 0;
  bench.measure([&] {
    for (long i = 0; i < 2 * kKeys; ++i) hits += map.count(key(i));
  });
  cibench::black_box(hits);
}

CIBENCH_MAIN()

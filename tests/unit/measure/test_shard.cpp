#include "plan/shard.hpp"

#include "error_message.hpp"

#include <boost/test/unit_test.hpp>
#include <numeric>

using namespace cibench;

BOOST_AUTO_TEST_SUITE(shard)

BOOST_AUTO_TEST_CASE(parses_k_of_n_and_refuses_the_rest) {
  BOOST_TEST(parse_shard("2/3").index == 2);
  BOOST_TEST(parse_shard("2/3").count == 3);
  BOOST_TEST(parse_shard("1/1").count == 1);
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/2x", "1/1001", ""})
    BOOST_TEST(error_message(ErrorKind::config, [&] { parse_shard(bad); }).find("must be K/N") != std::string::npos, bad);
}

// Every benchmark in exactly one shard (1..N), and the shards' costs close to each other.
BOOST_AUTO_TEST_CASE(every_benchmark_lands_once_and_shards_are_balanced) {
  std::vector<std::optional<double>> costs = {20.0, 4.7, 4.7, 4.7, 4.5, 4.3, 4.2, 4.1, 4.0, 3.8, 3.7, 3.6, 3.2,
                                              3.2,  3.1, 3.0, 2.9, 2.8, 2.6, 2.6, 2.4, 2.1, 2.1, 2.0, 1.6, std::nullopt};
  for (int n = 1; n <= 5; ++n) {
    const auto shard = assign_shards(costs, n);
    BOOST_REQUIRE_EQUAL(shard.size(), costs.size());
    std::vector<double> load(static_cast<size_t>(n));
    for (size_t i = 0; i < costs.size(); ++i) {
      BOOST_TEST_REQUIRE(shard[i] >= 1);
      BOOST_TEST_REQUIRE(shard[i] <= n);
      load[static_cast<size_t>(shard[i] - 1)] += costs[i].value_or(3.2); // the median stands in for the unknown
    }
    const double total = std::accumulate(load.begin(), load.end(), 0.0);
    // Longest-first is within 4/3 of the best split; the best is at least the longest benchmark.
    BOOST_TEST(*std::max_element(load.begin(), load.end()) <= std::max(20.0, total / n) * 4 / 3 + 1e-9);
  }
  BOOST_TEST(assign_shards(costs, 3) == assign_shards(costs, 3)); // the same split on every machine
}

BOOST_AUTO_TEST_SUITE_END()

#pragma once
// The regression decision: a pure function of the current counts, the baseline and the thresholds.
#include "metrics/metrics.hpp"
#include "config/threshold.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cibench {

// Ordered from best to worst, so that a benchmark's status is the worst of its metrics'.
// `incomparable`: the baseline was measured by another toolchain, so its counts say nothing.
// `nondeterministic`: the same code counted differently (--verify, or the baseline's content
// fingerprint with other counts): the counts cannot be trusted, which is an error of the set-up.
enum class Status { pass, improved, new_benchmark, warn, incomparable, fail, nondeterministic, error };

// "pass", "improved", "new", "warn", "incomparable", "fail", "nondeterministic", "error"
std::string to_string(Status s);
inline constexpr Status kAllStatuses[] = {Status::pass, Status::improved,     Status::new_benchmark,    Status::warn,
                                          Status::incomparable, Status::fail, Status::nondeterministic, Status::error};
// The status to_string() names so; nothing for any other word (read from a results.json).
std::optional<Status> status_named(std::string_view word);

struct MetricVerdict {
  std::string metric;
  std::int64_t current = 0;
  std::optional<std::int64_t> baseline;
  std::optional<double> change_pct;   // (current - baseline) / |baseline|, in percent; +-inf from 0;
                                      // none beside a baseline from another toolchain
  std::optional<double> warn_limit;   // the thresholds that applied, in percent
  std::optional<double> fail_limit;
  std::optional<std::int64_t> warn_bytes; // a byte metric's thresholds as a rise in bytes
  std::optional<std::int64_t> fail_bytes;
  std::optional<std::int64_t> budget; // the absolute ceiling that applied
  bool over_budget = false;
  Status status = Status::pass;
};

struct Verdict {
  Status status = Status::pass;
  std::vector<MetricVerdict> metrics; // every current metric, by name
};

// A rise strictly past the fail limit fails, past the warn limit warns; a drop past the warn
// limit (the fail limit where no warn is set) is `improved`, so the baseline can be refreshed.
// A limit in bytes compares the rise in bytes (current - baseline), a limit in percent the change.
// Metrics without a threshold are reported and never decide. No baseline: `new_benchmark`.
// A count past its budget fails, with or without a baseline.
Verdict judge(const Metrics& current, const Metrics* baseline, const Thresholds& thresholds);

std::optional<double> change_pct(std::int64_t baseline, std::int64_t current);

} // namespace cibench

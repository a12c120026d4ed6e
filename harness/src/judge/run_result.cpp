#include "judge/run_result.hpp"

namespace cibench {

std::map<Status, int> RunResult::counts() const {
  std::map<Status, int> c;
  for (auto s : kAllStatuses) c[s] = 0;
  for (auto& b : benchmarks) ++c[b.verdict.status];
  return c;
}

int RunResult::reused() const {
  int n = 0;
  for (auto& b : benchmarks) n += b.measurement.reused;
  return n;
}

int RunResult::exit_code() const {
  if (interrupted_by) return 128 + interrupted_by; // the shell's convention: 130 for SIGINT, 143 for SIGTERM
  if (!history_error.empty()) return 2;
  auto c = counts();
  if (c[Status::error] > 0 || c[Status::nondeterministic] > 0) return 2;
  if (updating_baselines) return 0;
  if (c[Status::fail] > 0 || (c[Status::incomparable] > 0 && !allow_incomparable)) return 1;
  return 0;
}

} // namespace cibench

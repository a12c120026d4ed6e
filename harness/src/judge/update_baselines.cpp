#include "judge/update_baselines.hpp"

namespace cibench {

void update_baselines(RunResult& run, const std::filesystem::path& dir) {
  run.updating_baselines = true;
  for (auto& r : run.benchmarks) {
    if (!r.measurement.ok()) continue;
    save_baseline(dir, {r.name(), with_derived(r.measurement.events), r.measurement.toolchain,
                        top_functions(r.measurement.functions)});
    r.baseline_written = true;
    if (r.failure && r.failure->kind == ErrorKind::baseline) {
      r.failure.reset();
      r.verdict.status = Status::new_benchmark;
    }
  }
}

} // namespace cibench

#pragma once
// --update-baselines: the measured counts become the baselines, instead of gating.
#include "judge/run_result.hpp"

#include <filesystem>

namespace cibench {

// Writes a baseline for every benchmark measured without fault, and marks it written. A
// benchmark whose only fault was its old baseline file is now `new`: that file was replaced.
void update_baselines(RunResult& run, const std::filesystem::path& baseline_dir);

} // namespace cibench

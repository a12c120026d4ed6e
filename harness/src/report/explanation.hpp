#pragma once
// `ci-bench explain NAME`'s story after the usual summary: where this run's instructions go (the
// biggest functions and source lines, with the source of the hottest), and where the flame graph
// and the raw profile are.
#include "judge/run_result.hpp"

#include <cstdio>
#include <filesystem>

namespace cibench {

void print_explanation(const RunResult& run, const std::filesystem::path& out_dir, const std::filesystem::path& project_dir,
                       std::FILE* out);

} // namespace cibench

#pragma once
// The terminal summary, in the manner of iai: per benchmark, each displayed metric as
// `now | baseline (change)`; then one line of counts.
#include "judge/run_result.hpp"

#include <cstdio>

namespace cibench {

// Colour only when `colour` (the caller checks for a terminal and NO_COLOR).
void print_summary(const RunResult& run, std::FILE* out, bool colour);

} // namespace cibench

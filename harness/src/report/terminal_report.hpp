#pragma once
// The terminal summary, in the manner of iai: per benchmark, each displayed metric as
// `now | baseline (change)`; then one line of counts.
#include "judge/run_result.hpp"

#include <cstdio>

namespace cibench {

// Colour only when `colour` (the caller checks for a terminal and NO_COLOR).
void print_summary(const RunResult& run, std::FILE* out, bool colour);

// A few lines of source, the one they are about marked ">" (the summary's and `explain`'s).
void print_source_excerpt(const SourceExcerpt& excerpt, std::FILE* out);

} // namespace cibench

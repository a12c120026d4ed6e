#pragma once
// A drift in words, the same in the terminal, results.json and the PR comment:
// "+6.1 % over the last 20 points of main, each step under the 2 % warn level".
#include "judge/run_result.hpp"

#include <string>

namespace cibench {

std::string drift_sentence(const Drift& drift);

} // namespace cibench

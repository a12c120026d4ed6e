#pragma once
// Cachegrind: the default tool for whole programs. On Valgrind 3.19 it has no client requests, so
// a suite's region is the measured run minus a calibration run.
#include "valgrind/tool.hpp"

namespace cibench {

const ValgrindTool& cachegrind_tool();

} // namespace cibench

#pragma once
// Callgrind: exact regions in one run (the body between client requests, with
// --instr-atstart=no), inclusive per-function costs and call edges.
#include "valgrind/tool.hpp"

namespace cibench {

const ValgrindTool& callgrind_tool();

} // namespace cibench

#pragma once
// Counts beside seconds: each timed benchmark's instruction count, measured once under Valgrind by
// the gate's own code (measure/), so that a change in time can be read against a change in work:
// "time +8 %, instructions unchanged" is the machine; "time +8 %, instructions +7.9 %" is the code.
#include "config/config.hpp"
#include "plan/plan.hpp"
#include "wallclock/wall_clock.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

// Measures `plan` (all of it, a core each, before any timing starts: Valgrind beside a timing
// would slow it) with the config's tool and Valgrind settings, cache simulation off (instructions
// do not depend on it, and it costs a quarter more). Raw files go to `out_dir`. Returns a count or
// an error per benchmark, in plan order. Valgrind missing is every benchmark's error, never an
// exception: the timing is still worth having.
std::vector<InstructionCount> count_instructions(const Config& config, const std::vector<BenchmarkPlan>& plan,
                                                 const std::filesystem::path& out_dir);

// A change in time read beside the change in instructions (the candidate against the other):
// "time +8.00%, instructions unchanged (15 622 018): the machine, not the code" (the last words
// only when the time change was called), or "time +8.00%, instructions +7.90% (15 622 018 ->
// 16 856 161)". Empty when either count is missing.
std::string time_beside_instructions(double time_change_pct, bool time_change_called, const InstructionCount& candidate,
                                     const InstructionCount& other);

// 15622018 -> "15 622 018"
std::string format_count(std::int64_t n);

} // namespace cibench

#pragma once
// `ci-bench folded FILE`: a Callgrind profile as folded stacks. A suite benchmark's profile is
// rooted at the benchmark's name and its body is named CIBENCH_BENCHMARK(NAME), as in reports.
#include <cstdio>
#include <filesystem>

namespace cibench {

void print_folded_stacks(const std::filesystem::path& callgrind_file, std::FILE* out);

} // namespace cibench

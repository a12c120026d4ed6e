#pragma once
// `ci-bench folded FILE`: a Callgrind profile as folded stacks, and `ci-bench flamegraph [OLD] NEW`:
// the same drawn as an SVG (report/flamegraph_svg.hpp), coloured by the change from OLD when given.
// A suite benchmark's profile is rooted at the benchmark's name and its body is named
// CIBENCH_BENCHMARK(NAME), as in reports.
#include <cstdio>
#include <filesystem>
#include <string>

namespace cibench {

void print_folded_stacks(const std::filesystem::path& callgrind_file, std::FILE* out);

struct FlamegraphOptions {
  std::filesystem::path old_file;   // empty: a plain flame graph of new_file
  std::filesystem::path new_file;
  std::filesystem::path output;
  std::filesystem::path program;    // the measured program, to draw inlined code as frames; empty: not drawn
};
void write_flamegraph(const FlamegraphOptions& options);

} // namespace cibench

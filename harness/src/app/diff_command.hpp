#pragma once
// `ci-bench diff OLD NEW`: two raw Valgrind files (Cachegrind or Callgrind), or two results.json,
// compared event by event and function by function, like cg_diff but for reading.
#include <cstdio>
#include <filesystem>

namespace cibench {

// Prints the comparison; throws Error for unreadable or mismatched input.
void diff_files(const std::filesystem::path& old_file, const std::filesystem::path& new_file, std::FILE* out);

} // namespace cibench

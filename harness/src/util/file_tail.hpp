#pragma once
// The end of a workload's output file, for error messages.
#include <filesystem>
#include <string>

namespace cibench {

// The last `max_lines` lines of `file`, each indented as "  | line" and cut at 300 characters;
// empty when the file is missing or empty.
std::string last_lines(const std::filesystem::path& file, size_t max_lines = 12);

} // namespace cibench

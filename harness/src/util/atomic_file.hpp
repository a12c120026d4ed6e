#pragma once
#include <filesystem>
#include <string_view>

namespace cibench {

// Writes `content` to a temporary file beside `path`, flushes it to disk and renames it over
// `path`, so a reader sees the old file or the new one, never half of one. Throws Error.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

} // namespace cibench

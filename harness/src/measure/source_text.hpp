#pragma once
// The checkout's source text behind a profile's lines: which line a "file:line" is by its text (so
// that lines added above a function do not make its lines look changed), and a few lines to show.
#include "valgrind/profile.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

// Sets each line's `text` ("HASH/N": see SourceLine) from the file it names, read once per file.
// Relative files are under `project_dir`. A file that cannot be read, or has fewer lines, leaves "".
void identify_lines(SourceLines& lines, const std::filesystem::path& project_dir);

// Lines `line - context` to `line + context` of a file, as valid UTF-8, each cut to 200 bytes.
struct SourceExcerpt {
  std::string file;
  std::uint32_t line = 0;       // the line it is about
  std::uint32_t first_line = 0; // the number of lines.front()
  std::vector<std::string> lines;
};
std::optional<SourceExcerpt> read_excerpt(const std::string& file, std::uint32_t line, const std::filesystem::path& project_dir,
                                          std::uint32_t context = 3);

} // namespace cibench

#include "measure/source_text.hpp"

#include "util/text_lines.hpp"
#include "util/utf8.hpp"

#include <fmt/format.h>
#include <fstream>
#include <map>
#include <unordered_map>

namespace cibench {
namespace fs = std::filesystem;

namespace {

fs::path source_path(const std::string& file, const fs::path& project_dir) {
  const fs::path p(file);
  return p.is_absolute() ? p : project_dir / p;
}

// A source file's lines, without their line ends; nothing when it cannot be read or is not a
// regular file (a source path from debug info may name anything).
std::optional<std::vector<std::string>> read_lines(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

// FNV-1a, 32 bits: enough to tell one line of a file from another, and short in a baseline.
std::uint32_t text_hash(std::string_view text) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : text) h = (h ^ c) * 16777619u;
  return h;
}

// "HASH/N" for every line of a file (index 0 is line 1): HASH of its trimmed text and of the line
// before it that is not blank, so that the same statement in two functions is told apart (their
// lines before differ), and blank lines added anywhere change nothing.
std::vector<std::string> line_identities(const std::vector<std::string>& lines) {
  std::vector<std::string> ids;
  std::unordered_map<std::uint32_t, int> seen;
  std::string_view before;
  for (auto& line : lines) {
    const std::string_view text = trim(line);
    const std::uint32_t h = text_hash(std::string(before).append("\n").append(text));
    ids.push_back(fmt::format("{:08x}/{}", h, seen[h]++));
    if (!text.empty()) before = text;
  }
  return ids;
}

} // namespace

void identify_lines(SourceLines& lines, const fs::path& project_dir) {
  std::map<std::string, std::vector<SourceLines::iterator>> by_file;
  for (auto it = lines.begin(); it != lines.end(); ++it) by_file[split_line_key(it->first).first].push_back(it);
  for (auto& [file, entries] : by_file) {
    const auto text = read_lines(source_path(file, project_dir));
    if (!text) continue;
    const std::vector<std::string> ids = line_identities(*text);
    for (auto it : entries) {
      const std::uint32_t line = split_line_key(it->first).second;
      it->second.text = line >= 1 && line <= ids.size() ? ids[line - 1] : "";
    }
  }
}

std::optional<SourceExcerpt> read_excerpt(const std::string& file, std::uint32_t line, const fs::path& project_dir,
                                          std::uint32_t context) {
  const auto text = read_lines(source_path(file, project_dir));
  if (!text || line == 0 || line > text->size()) return std::nullopt;
  SourceExcerpt e{.file = file, .line = line, .first_line = line > context ? line - context : 1, .lines = {}};
  const std::uint32_t last = std::min<std::uint32_t>(static_cast<std::uint32_t>(text->size()), line + context);
  for (std::uint32_t n = e.first_line; n <= last; ++n) {
    std::string shown = valid_utf8((*text)[n - 1]);
    if (shown.size() > 200) shown = std::string(cut_utf8(shown, 200)) + "…";
    e.lines.push_back(std::move(shown));
  }
  return e;
}

} // namespace cibench

#include "elf/elf_comment.hpp"

#include "elf/elf_file.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <fmt/ranges.h>
#include <vector>

namespace cibench {

std::string elf_comment(const std::filesystem::path& binary) {
  const std::string data = elf_section_text(binary, ".comment");
  std::vector<std::string> found;
  for (size_t i = 0; i < data.size();) {
    const size_t end = std::min(data.find('\0', i), data.size());
    std::string entry = data.substr(i, end - i);
    i = end + 1;
    if (!entry.empty() && std::find(found.begin(), found.end(), entry) == found.end()) found.push_back(std::move(entry));
  }
  return valid_utf8(fmt::format("{}", fmt::join(found, "; ")));
}

} // namespace cibench

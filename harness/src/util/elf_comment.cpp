#include "elf_comment.hpp"

#include "utf8.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/ranges.h>
#include <elf.h>
#include <fstream>
#include <vector>

namespace cibench {

std::string elf_comment(const std::filesystem::path& binary) {
  std::ifstream in(binary, std::ios::binary);
  Elf64_Ehdr eh{};
  if (!in.read(reinterpret_cast<char*>(&eh), sizeof eh)) return {};
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shstrndx >= eh.e_shnum)
    return {};
  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  in.seekg(static_cast<std::streamoff>(eh.e_shoff));
  if (!in.read(reinterpret_cast<char*>(sections.data()), static_cast<std::streamsize>(eh.e_shnum * sizeof(Elf64_Shdr))))
    return {};
  auto read_section = [&](const Elf64_Shdr& s) {
    std::string data(std::min<Elf64_Xword>(s.sh_size, 1 << 20), '\0');
    in.seekg(static_cast<std::streamoff>(s.sh_offset));
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    return in ? data : std::string{};
  };
  const std::string names = read_section(sections[eh.e_shstrndx]);
  for (auto& s : sections) {
    if (s.sh_name >= names.size() || std::strcmp(names.c_str() + s.sh_name, ".comment") != 0) continue;
    const std::string data = read_section(s);
    std::vector<std::string> found;
    for (size_t i = 0; i < data.size();) {
      std::string entry(data.c_str() + i);
      i += entry.size() + 1;
      if (!entry.empty() && std::find(found.begin(), found.end(), entry) == found.end()) found.push_back(entry);
    }
    return valid_utf8(fmt::format("{}", fmt::join(found, "; ")));
  }
  return {};
}

} // namespace cibench

#include "elf/elf_loaded_content.hpp"

#include "util/sha256.hpp"

#include <cstring>
#include <elf.h>
#include <fstream>
#include <sstream>
#include <vector>

namespace cibench {
namespace {

template <typename T> void add_value(Sha256& hash, const T& value) { hash.add(&value, sizeof value); }

} // namespace

std::optional<ElfLoadedContent> elf_loaded_content(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream whole; // in one read: a program is megabytes, and every run digests the driver
  whole << in.rdbuf();
  if (in.bad()) return std::nullopt;
  const std::string bytes = std::move(whole).str();
  Elf64_Ehdr eh{};
  if (bytes.size() < sizeof eh) return std::nullopt;
  std::memcpy(&eh, bytes.data(), sizeof eh);
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_shentsize != sizeof(Elf64_Shdr) ||
      (eh.e_phnum && eh.e_phentsize != sizeof(Elf64_Phdr)))
    return std::nullopt;
  const auto within = [&](std::uint64_t offset, std::uint64_t size) {
    return offset <= bytes.size() && size <= bytes.size() - offset;
  };
  if (!within(eh.e_shoff, std::uint64_t(eh.e_shnum) * sizeof(Elf64_Shdr)) ||
      !within(eh.e_phoff, std::uint64_t(eh.e_phnum) * sizeof(Elf64_Phdr)))
    return std::nullopt;

  ElfLoadedContent out;
  Sha256 hash;
  add_value(hash, eh.e_type);
  add_value(hash, eh.e_machine);
  add_value(hash, eh.e_entry);
  for (std::size_t i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    std::memcpy(&ph, bytes.data() + eh.e_phoff + i * sizeof ph, sizeof ph);
    if (ph.p_type == PT_NOTE) continue;
    // Addresses and sizes, not file offsets: those move with what precedes them in the file.
    for (auto v : {std::uint64_t(ph.p_type), std::uint64_t(ph.p_flags), ph.p_vaddr, ph.p_filesz, ph.p_memsz, ph.p_align})
      add_value(hash, v);
    if (ph.p_type == PT_INTERP && within(ph.p_offset, ph.p_filesz))
      out.interpreter = std::string(bytes.data() + ph.p_offset, ::strnlen(bytes.data() + ph.p_offset, ph.p_filesz));
  }
  for (std::size_t i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr sh;
    std::memcpy(&sh, bytes.data() + eh.e_shoff + i * sizeof sh, sizeof sh);
    if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_type == SHT_NOTE) continue;
    for (auto v : {std::uint64_t(sh.sh_type), sh.sh_flags, sh.sh_addr, sh.sh_size}) add_value(hash, v);
    if (sh.sh_type == SHT_NOBITS) continue; // .bss: its size is all there is
    if (!within(sh.sh_offset, sh.sh_size)) return std::nullopt;
    hash.add(bytes.data() + sh.sh_offset, sh.sh_size);
  }
  out.digest = hash.hex();
  return out;
}

} // namespace cibench

#pragma once
// An ELF file opened with elfutils' libelf: the one place that reads ELF.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace cibench {

// What a built file holds where it counts: the bytes of its loaded sections, by group, and the
// sizes of its symbols. Sections that are not loaded (debug info, symbol tables, .comment) do not
// count, so a build with -g and the same build stripped have the same sizes.
struct ElfSizes {
  std::int64_t text = 0;   // loaded and executable
  std::int64_t rodata = 0; // loaded, neither executable nor writable (.rodata, .eh_frame, ...)
  std::int64_t data = 0;   // loaded, writable, stored in the file (.data, .got, .init_array, ...)
  std::int64_t bss = 0;    // loaded, zero-filled, not in the file (.bss, .tbss)
  std::map<std::string, std::int64_t> symbols; // demangled function and object names -> bytes
  bool archive = false;    // a static archive: the sums of its ELF members, symbols as "member.o: name"
};

// An ELF file, or a static archive (.a) of ELF objects; nothing for any other file. Throws
// Error(parse) naming `file` when it cannot be opened, is a thin archive (it holds no objects),
// or is cut or corrupt.
std::optional<ElfSizes> read_elf_sizes(const std::filesystem::path& file);

// The strings of the section `name` (NUL-separated), or "" when the file is not ELF or lacks it.
std::string elf_section_text(const std::filesystem::path& file, const std::string& name);

// "_ZN3foo3barEv" -> "foo::bar()"; a name that is not mangled comes back as it is.
std::string demangle(const std::string& symbol);

} // namespace cibench

#pragma once
// What of an ELF file the loader maps: the digest of its allocated sections (code, read-only
// data, data, symbol tables for dynamic linking), their addresses and sizes, and its segments.
// Left out: debug info, .comment, symbol tables for debuggers, and notes (the build ID is a hash
// of the whole file, debug info included), so the same code built in another folder, or with
// other debug info, digests the same.
#include <filesystem>
#include <optional>
#include <string>

namespace cibench {

struct ElfLoadedContent {
  std::string digest;      // SHA-256, hex
  std::string interpreter; // PT_INTERP ("/lib64/ld-linux-x86-64.so.2"); empty for a static program
};

// nullopt when `file` is not a readable 64-bit little-endian ELF file.
std::optional<ElfLoadedContent> elf_loaded_content(const std::filesystem::path& file);

} // namespace cibench

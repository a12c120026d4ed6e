#pragma once
#include <filesystem>
#include <string>

namespace cibench {

// The compilers named in an ELF binary's .comment section ("GCC: (Debian 12.2.0-14) 12.2.0"),
// distinct ones joined by "; ". Empty when the file is not ELF or has no such section.
std::string elf_comment(const std::filesystem::path& binary);

} // namespace cibench

#include "util/file_names.hpp"

#include <cctype>
#include <cstdint>
#include <fmt/format.h>

namespace cibench {

std::string file_stem(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    bool keep = std::isalnum(c) || c == '_' || c == '-' || (c == '.' && i > 0);
    if (keep) out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  // File names are limited to 255 bytes and escaping can triple a name: a long one keeps its first
  // bytes and ends with a hash of the whole name, so it stays distinct and fits with any suffix.
  constexpr size_t kMaxStem = 160;
  if (out.size() > kMaxStem) {
    std::uint64_t hash = 14695981039346656037ull; // FNV-1a
    for (unsigned char c : name) hash = (hash ^ c) * 1099511628211ull;
    size_t cut = kMaxStem - 17;
    if (out[cut - 1] == '%') cut -= 1; // never inside a "%XX"
    else if (out[cut - 2] == '%') cut -= 2;
    out = fmt::format("{}~{:016x}", out.substr(0, cut), hash);
  }
  return out;
}

} // namespace cibench

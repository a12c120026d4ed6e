#include "file_names.hpp"

#include <cctype>
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
  return out;
}

} // namespace cibench

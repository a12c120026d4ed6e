#include "util/short_name.hpp"

#include "util/utf8.hpp"

#include <regex>

namespace cibench {

namespace {

// Template arguments folded: "<" opens one only where it is not an operator's (operator<, <<, <=>).
std::string fold_templates(std::string_view name) {
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    if (depth == 0 && name.substr(i).starts_with("operator")) { // operator<, operator<<=, operator->: not brackets
      size_t j = i + 8;
      while (j < name.size() && std::string_view("<>=!-+*/%&|^~").find(name[j]) != std::string_view::npos) ++j;
      out.append(name.substr(i, j - i));
      i = j - 1;
      continue;
    }
    const char c = name[i];
    if (c == '<') {
      if (depth++ == 0) out += "<…";
    } else if (c == '>' && depth > 0) {
      if (--depth == 0) out += '>';
    } else if (depth == 0) {
      out += c;
    }
  }
  return depth == 0 ? out : std::string(name); // unbalanced: not a name this understands
}

} // namespace

std::string short_name(std::string_view name, size_t max_bytes) {
  static const std::regex inline_namespace(R"((^|::|[ (,<])(v[0-9]+|__1|__cxx11|_V2)::)");
  static const std::regex recursion_level("'[0-9]+$"); // Callgrind's f'2: the second level of a recursion
  std::string s = std::regex_replace(std::regex_replace(std::string(name), inline_namespace, "$1"), recursion_level, "");
  s = fold_templates(s);
  if (s.size() <= max_bytes) return s;
  // Keep the start (the scope) and the tail (what tells siblings apart), the middle cut.
  const size_t tail = max_bytes * 2 / 3;
  const std::string_view head = cut_utf8(s, max_bytes - tail - 3);
  size_t from = s.size() - tail;
  while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80) ++from; // not inside a character
  return std::string(head) + "…" + s.substr(from);
}

std::string_view function_of_key(std::string_view key) {
  for (size_t i = key.size(); i-- > 0;)
    if (key[i] == ':') {
      if (i > 0 && key[i - 1] == ':') {
        --i;
        continue;
      }
      return i + 1 < key.size() && key[i + 1] == ':' ? key : key.substr(i + 1);
    }
  return key;
}

std::string short_function_key(std::string_view key, size_t max_bytes) {
  const std::string_view function = function_of_key(key);
  return std::string(key.substr(0, key.size() - function.size())) + short_name(function, max_bytes);
}

} // namespace cibench

#include "util/short_name.hpp"

#include "util/utf8.hpp"


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

// The length of an inline namespace's "NAME::" at the start of `rest` (v12::, __1::, __cxx11::, _V2::), else 0.
size_t inline_namespace_at(std::string_view rest) {
  size_t n = 0;
  if (rest.starts_with("__cxx11::")) n = 7;
  else if (rest.starts_with("__1::")) n = 3;
  else if (rest.starts_with("_V2::")) n = 3;
  else if (rest.size() > 1 && rest[0] == 'v' && rest[1] >= '0' && rest[1] <= '9') {
    n = 1;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    if (!rest.substr(n).starts_with("::")) return 0;
  }
  return n == 0 ? 0 : n + 2;
}

// Inline namespaces dropped where a scope starts: at the start, after "::", or after ' ', '(', ',' or '<'.
std::string without_inline_namespaces(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size();) {
    const bool scope_starts = i == 0 || std::string_view(" (,<").find(name[i - 1]) != std::string_view::npos ||
                              (i >= 2 && name.substr(i - 2, 2) == "::");
    if (const size_t skip = scope_starts ? inline_namespace_at(name.substr(i)) : 0) {
      i += skip;
      continue;
    }
    out += name[i++];
  }
  return out;
}

} // namespace

std::string short_name(std::string_view name, size_t max_bytes) {
  std::string s = fold_templates(without_inline_namespaces(without_recursion_level(name)));
  if (s.size() <= max_bytes) return s;
  // Keep the start (the scope) and the tail (what tells siblings apart), the middle cut.
  const size_t tail = max_bytes * 2 / 3;
  const std::string_view head = cut_utf8(s, max_bytes - tail - 3);
  size_t from = s.size() - tail;
  while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80) ++from; // not inside a character
  return std::string(head) + "…" + s.substr(from);
}

std::string_view without_recursion_level(std::string_view name) {
  const auto quote = name.rfind('\'');
  const bool level = quote != std::string_view::npos && quote + 1 < name.size() &&
                     name.find_first_not_of("0123456789", quote + 1) == std::string_view::npos;
  return level ? name.substr(0, quote) : name;
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

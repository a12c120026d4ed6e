#pragma once
// toml++ 3.3.0 (Debian 12) reaches __builtin_unreachable (undefined behaviour) when it tests about
// 3000 non-ASCII code points, é among them, for whitespace outside strings (upstream
// marzer/tomlplusplus#305). TOML 1.0 allows non-ASCII only inside strings and comments, so
// rejecting it anywhere else first is both correct TOML and the way around that fault.
#include <cstddef>
#include <optional>
#include <string_view>

namespace cibench {

struct TextPosition {
  size_t line = 1;   // 1-based
  size_t column = 1; // 1-based, in bytes
};

// Where the first non-ASCII byte outside a string or comment is in TOML `text`, if there is one.
std::optional<TextPosition> non_ascii_outside_strings(std::string_view text);

} // namespace cibench

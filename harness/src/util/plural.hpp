#pragma once
// "1 point", "3 points": a count with its noun, as every summary line writes it.
#include <fmt/format.h>

#include <string>
#include <string_view>

namespace cibench {

inline std::string counted(std::size_t n, std::string_view noun) { return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s"); }

} // namespace cibench

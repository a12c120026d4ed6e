#include "util/byte_size.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <utility>

namespace cibench {

std::optional<std::int64_t> parse_byte_size(const std::string& text) {
  static constexpr std::array<std::pair<const char*, double>, 10> units = {{
      {"B", 1.0}, {"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9},
      {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TB", 1e12}, {"TiB", 1099511627776.0}}};
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  double value = 0;
  auto [p, ec] = std::from_chars(begin, end, value, std::chars_format::fixed);
  if (ec != std::errc() || p == begin || !std::isfinite(value) || value < 0) return std::nullopt;
  while (p != end && *p == ' ') ++p;
  const std::string unit(p, end);
  double scale = unit.empty() ? 1.0 : 0.0;
  for (auto& [name, factor] : units)
    if (unit == name) scale = factor;
  if (scale == 0.0) return std::nullopt;
  const double bytes = std::floor(value * scale);
  if (bytes >= 4.6e18) return std::nullopt;
  return static_cast<std::int64_t>(bytes);
}

std::string format_byte_size(std::int64_t bytes) {
  const double magnitude = std::abs(static_cast<double>(bytes));
  if (magnitude < 1024) return fmt::format("{} B", bytes);
  static constexpr std::array<const char*, 4> units = {"KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes) / 1024.0;
  size_t i = 0;
  while (std::abs(v) >= 1024 && i + 1 < units.size()) v /= 1024.0, ++i;
  const int decimals = std::abs(v) < 10 ? 2 : std::abs(v) < 100 ? 1 : 0;
  return fmt::format("{:.{}f} {}", v, decimals, units[i]);
}

} // namespace cibench

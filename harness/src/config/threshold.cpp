#include "config/threshold.hpp"

#include "util/error.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace cibench {

Thresholds Thresholds::defaults() { return {.warn = {{"instructions", 2.0}}, .fail = {{"instructions", 10.0}}, .budget = {}}; }

std::optional<double> parse_percent(const std::string& text) {
  if (text == "off") return std::nullopt;
  const auto bad = [&] {
    return Error(ErrorKind::config, fmt::format("'{}' is not a percentage: write it like \"2%\" or \"0.5%\", or \"off\"", text));
  };
  if (text.size() < 2 || text.back() != '%') throw bad();
  double v = 0;
  const char* end = text.data() + text.size() - 1;
  auto [p, ec] = std::from_chars(text.data(), end, v, std::chars_format::fixed);
  if (ec != std::errc() || p != end || !std::isfinite(v) || v < 0) throw bad();
  return v;
}

} // namespace cibench

#include "config/threshold.hpp"

#include "metrics/metrics.hpp"
#include "util/error.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace cibench {

// From the metric table (metrics/metrics.hpp), which says why each default is what it is.
Thresholds Thresholds::defaults() {
  Thresholds t;
  for (auto& m : kMetricTable) {
    if (m.warn_pct) t.warn[std::string(m.name)] = *m.warn_pct;
    if (m.fail_pct) t.fail[std::string(m.name)] = *m.fail_pct;
  }
  return t;
}

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

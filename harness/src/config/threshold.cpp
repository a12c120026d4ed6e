#include "config/threshold.hpp"

#include "util/error.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace cibench {

// Heap use fails past +25 % as the SLO document sets it, and warns past +10 %; code and read-only
// data gate like instructions. Figures that are often 0 (bytes live at exit, .bss) are reported,
// not gated by default: any rise from 0 is an infinite percentage.
Thresholds Thresholds::defaults() {
  Thresholds t{.warn = {{"instructions", 2.0}}, .fail = {{"instructions", 10.0}}, .warn_bytes = {}, .fail_bytes = {}, .budget = {}};
  for (const char* heap : {"heap_total_bytes", "heap_total_blocks", "heap_peak_bytes", "heap_peak_blocks"}) {
    t.warn[heap] = 10.0;
    t.fail[heap] = 25.0;
  }
  for (const char* size : {"text_bytes", "rodata_bytes"}) {
    t.warn[size] = 2.0;
    t.fail[size] = 10.0;
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

#pragma once
// Relative thresholds: how much a metric may rise against its baseline before the gate warns or
// fails, as a percentage per metric.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace cibench {

struct Thresholds {
  std::map<std::string, double> warn; // metric -> percent
  std::map<std::string, double> fail;
  // Absolute ceilings (per-operation budgets): a count past one fails even
  // with no baseline.
  std::map<std::string, std::int64_t> budget;

  // The defaults when a config says nothing: a rise past 10 % fails, past 2 % warns.
  static Thresholds defaults();
};

// "10%", "0.5%" -> 10.0, 0.5; "off" -> nullopt (removes an inherited threshold).
// Throws Error with a message that shows the expected form.
std::optional<double> parse_percent(const std::string& text);

} // namespace cibench

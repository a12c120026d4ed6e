#pragma once
// Relative thresholds: how much a metric may rise against its baseline before the gate warns or
// fails, as a percentage per metric; on a byte metric, also as a size (an absolute rise in bytes).
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace cibench {

struct Thresholds {
  std::map<std::string, double> warn; // metric -> percent
  std::map<std::string, double> fail;
  // Byte metrics only: the rise allowed in bytes ("64 KiB"). A metric has a percentage or a size at
  // each level, not both: the config's later setting replaces the other.
  std::map<std::string, std::int64_t> warn_bytes;
  std::map<std::string, std::int64_t> fail_bytes;
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

#pragma once
// The one rule for a count read from a JSON file (baselines, results.json): an integer within
// ±2^62, so that any two can be added or subtracted without overflow. A float (1e300) or a number
// past int64 would otherwise convert with undefined behaviour.
#include <cstdint>
#include <nlohmann/json.hpp>

namespace cibench {

inline bool is_count(const nlohmann::json& v) {
  constexpr std::int64_t kLimit = std::int64_t{1} << 62;
  if (v.is_number_unsigned()) return v.get<std::uint64_t>() < static_cast<std::uint64_t>(kLimit);
  return v.is_number_integer() && v.get<std::int64_t>() > -kLimit && v.get<std::int64_t>() < kLimit;
}

} // namespace cibench

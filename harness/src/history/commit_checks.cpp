#include "history/commit_checks.hpp"

#include "util/utf8.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace cibench {

std::optional<std::string> sha_problem(std::string_view sha) {
  const bool hex = std::all_of(sha.begin(), sha.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  if (hex && (sha.size() == 40 || sha.size() == 64)) return std::nullopt;
  return fmt::format("'{}' is not a commit id: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits, as git prints them",
                     printable_line(sha, 100));
}

std::optional<std::string> time_problem(std::int64_t t) {
  if (t >= kEarliestTime && t <= kLatestTime) return std::nullopt;
  return fmt::format("{} is not a time ci-bench accepts: Unix seconds {} to {} (1970-01-01 to 9999-12-31 UTC)", t,
                     kEarliestTime, kLatestTime);
}

} // namespace cibench

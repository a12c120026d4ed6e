#pragma once
// What a point may claim about its commit, checked before anything is written: a commit id as git
// prints it, and a time a calendar can show. Outside text (results.json, GITHUB_SHA, a crafted
// commit) is refused here rather than stored and shown as garbage.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cibench {

// The accepted commit times: 1970-01-01 00:00 to 9999-12-31 23:59:59 UTC.
inline constexpr std::int64_t kEarliestTime = 0;
inline constexpr std::int64_t kLatestTime = 253'402'300'799;

// Why `sha` is not a commit id (40 lowercase hex digits for SHA-1, 64 for SHA-256), or none.
std::optional<std::string> sha_problem(std::string_view sha);

// Why `unix_seconds` is not an accepted commit time, or none.
std::optional<std::string> time_problem(std::int64_t unix_seconds);

} // namespace cibench

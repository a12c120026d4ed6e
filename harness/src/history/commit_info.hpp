#pragma once
// Which commit a run measured. From git in the config's folder, overridden by what GitHub Actions
// sets: GITHUB_SHA for the commit, GITHUB_HEAD_REF (pull requests) or GITHUB_REF_NAME for the
// branch. Outside a checkout: no commit, the branch from the environment, the current time.
#include "history/point.hpp"

#include <filesystem>
#include <string_view>

namespace cibench {

CommitInfo current_commit(const std::filesystem::path& dir);

// The commit's parent and time, read from git; `sha` must name a commit of the checkout.
CommitInfo describe_commit(const std::filesystem::path& dir, const std::string& sha, const std::string& branch);

// A commit's time as git prints it (%ct), checked: an unreadable or absurd time (a crafted commit)
// throws Error(setup) naming the commit.
std::int64_t commit_time_of(std::string_view text, const std::string& sha);

// `file` relative to the top of the checkout it is in (its name alone outside a checkout): how
// points of the same config are told apart from another config's in one history.
std::string name_in_repository(const std::filesystem::path& file);

// The time now, in seconds since 1970 (UTC): a point's time when it has no commit's, and its recording time.
std::int64_t unix_seconds_now();

// A point's time as people read it in the history's tables and board: "2026-11-23 16:06" (UTC).
std::string utc_minute(std::int64_t unix_seconds);

} // namespace cibench

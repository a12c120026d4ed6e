#pragma once
// Where the measured code came from: the commit a run measured (history/commit_info.cpp asks git).
#include <cstdint>
#include <optional>
#include <string>

namespace cibench {

struct CommitInfo {
  std::optional<std::string> sha; // none outside a git checkout: such points are never replaced
  std::string parent;
  std::string branch;             // "" when detached and not told by the environment
  std::int64_t time = 0;          // the commit's Unix time (shown, never the order); the run's time when there is no commit
};

} // namespace cibench

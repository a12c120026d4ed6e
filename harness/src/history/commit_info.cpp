#include "history/commit_info.hpp"

#include "history/commit_checks.hpp"
#include "history/git.hpp"
#include "util/error.hpp"
#include "util/utf8.hpp"

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>

namespace cibench {
namespace fs = std::filesystem;
namespace {

std::string environment(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

} // namespace

std::int64_t commit_time_of(std::string_view text, const std::string& sha) {
  std::int64_t t = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), t);
  if (ec != std::errc() || end != text.data() + text.size())
    throw Error(ErrorKind::setup, fmt::format("commit {}: git gave '{}' as its time", sha, printable_line(text, 40)));
  if (auto why = time_problem(t)) throw Error(ErrorKind::setup, fmt::format("commit {}: its time {}", sha, *why));
  return t;
}

CommitInfo describe_commit(const fs::path& dir, const std::string& sha, const std::string& branch) {
  CommitInfo info{.sha = sha, .parent = "", .branch = branch, .time = unix_seconds_now()};
  // %P: the parents, space-separated; the first is the one a merge was made on.
  if (auto out = git_output(dir, {"show", "-s", "--format=%P%n%ct", sha + "^{commit}"})) {
    const std::string parents = first_line(*out);
    info.parent = parents.substr(0, parents.find(' '));
    info.time = commit_time_of(first_line(out->substr(std::min(out->size(), parents.size() + 1))), sha);
  }
  return info;
}

CommitInfo current_commit(const fs::path& dir) {
  std::string branch = environment("GITHUB_HEAD_REF");
  if (branch.empty()) branch = environment("GITHUB_REF_NAME");
  if (branch.empty())
    if (auto out = git_output(dir, {"rev-parse", "--abbrev-ref", "HEAD"}); out && first_line(*out) != "HEAD")
      branch = first_line(*out);
  std::string sha = environment("GITHUB_SHA");
  if (auto why = sha.empty() ? std::nullopt : sha_problem(sha))
    throw Error(ErrorKind::config, fmt::format("GITHUB_SHA {}; unset it to take the commit from git", *why));
  if (sha.empty())
    if (auto out = git_output(dir, {"rev-parse", "HEAD"})) sha = first_line(*out);
  if (sha.empty()) return CommitInfo{.sha = std::nullopt, .parent = "", .branch = branch, .time = unix_seconds_now()};
  return describe_commit(dir, sha, branch);
}

std::string name_in_repository(const fs::path& file) {
  const fs::path absolute = fs::weakly_canonical(fs::absolute(file));
  if (auto top = git_output(absolute.parent_path(), {"rev-parse", "--show-toplevel"})) {
    const fs::path relative = absolute.lexically_relative(fs::weakly_canonical(first_line(*top)));
    if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  }
  return absolute.filename().string();
}

std::string utc_minute(std::int64_t t) {
  if (time_problem(t)) return "time unknown"; // a file from before times were checked
  const std::time_t time = t;
  std::tm tm{};
  gmtime_r(&time, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &tm);
  return text;
}

std::int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace cibench

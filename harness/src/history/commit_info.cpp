#include "history/commit_info.hpp"

#include "history/git.hpp"

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <ctime>

namespace cibench {
namespace fs = std::filesystem;
namespace {

std::string environment(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace

CommitInfo describe_commit(const fs::path& dir, const std::string& sha, const std::string& branch) {
  CommitInfo info{.sha = sha, .parent = "", .branch = branch, .time = now()};
  // %P: the parents, space-separated; the first is the one a merge was made on.
  if (auto out = git_output(dir, {"show", "-s", "--format=%P%n%ct", sha + "^{commit}"})) {
    const std::string parents = first_line(*out);
    info.parent = parents.substr(0, parents.find(' '));
    const std::string time = first_line(out->substr(std::min(out->size(), parents.size() + 1)));
    std::int64_t t = 0;
    if (std::from_chars(time.data(), time.data() + time.size(), t).ec == std::errc()) info.time = t;
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
  if (sha.empty())
    if (auto out = git_output(dir, {"rev-parse", "HEAD"})) sha = first_line(*out);
  if (sha.empty()) return CommitInfo{.sha = std::nullopt, .parent = "", .branch = branch, .time = now()};
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
  const std::time_t time = t;
  std::tm tm{};
  gmtime_r(&time, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &tm);
  return text;
}

} // namespace cibench

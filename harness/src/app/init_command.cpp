#include "app/init_command.hpp"

#include "app/init_files.hpp"
#include "app/init_templates.hpp"
#include "exec/process.hpp"
#include "history/git.hpp"
#include "util/atomic_file.hpp"
#include "util/utf8.hpp"
#include "util/whole_file.hpp"
#include "util/error.hpp"
#include "util/shell_quote.hpp"

#include <fmt/format.h>
#include <regex>
#include <vector>

namespace cibench {
namespace fs = std::filesystem;
namespace {

// How the user should type the driver: "ci-bench" when that is what PATH finds, else its path
// (quoted for the shell the commands are pasted into).
std::string driver_as_typed(const fs::path& self) {
  std::error_code ec;
  return fs::equivalent(find_on_path("ci-bench"), self, ec) ? "ci-bench" : shell_quote(self.string());
}

bool is_installed(const fs::path& prefix) {
  std::error_code ec;
  return fs::is_regular_file(prefix / "lib" / "cmake" / "cibench" / "cibenchConfig.cmake", ec);
}

// `-DCMAKE_PREFIX_PATH=PREFIX` when the driver runs from an install whose package CMake would not
// find by itself (outside /usr and /usr/local); empty otherwise.
std::string prefix_argument(const fs::path& prefix) {
  if (!is_installed(prefix) || prefix == "/usr" || prefix == "/usr/local") return "";
  return " " + shell_quote("-DCMAKE_PREFIX_PATH=" + prefix.string());
}

// The branch pull requests go to: origin's HEAD when there is a remote, else the branch checked
// out, else "main".
std::string default_branch(const fs::path& dir) {
  const auto line = [&](const std::vector<std::string>& args) {
    std::string out = git_output(dir, args).value_or("");
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  };
  std::string branch = line({"symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"});
  branch = branch.starts_with("origin/") ? branch.substr(7) : line({"symbolic-ref", "--quiet", "--short", "HEAD"});
  if (branch.empty()) return "main";
  // Written into YAML unquoted: only a name made of the characters branch names usually have.
  if (!std::regex_match(branch, std::regex("[A-Za-z0-9_./-]+")))
    throw Error(ErrorKind::config, fmt::format("init: the default branch '{}' has characters init will not write into a workflow; "
                                               "rename it or edit the workflows' `branches:` by hand",
                                               printable_line(branch, 100)));
  return branch;
}

// `build`, unless the project has a `build` of its own: one that exists (its CMake cache would
// refuse another source folder), that git tracks (build scripts) or that git ignores (the
// project's own build folder, by its README or CI).
std::string build_folder(const fs::path& dir) {
  std::error_code ec;
  const auto tracked = git_output(dir, {"ls-files", "--", "build"});
  const bool taken = fs::exists(fs::symlink_status(dir / "build", ec)) || (tracked && !tracked->empty()) ||
                     git_output(dir, {"check-ignore", "-q", "build/"}).has_value();
  return taken ? "build-ci-bench" : "build";
}

bool is_cmake_project(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "CMakeLists.txt", ec);
}

// --update: each file missing is written, each that init wrote and nobody edited since rewritten;
// the others are named and left alone.
int update_project(const InitOptions& options, const std::vector<StarterFile>& files) {
  int edited = 0;
  for (auto& f : files) {
    const fs::path path = options.dir / f.path;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec))) { // removed on purpose, or never written: not init's to decide
      fmt::print("left alone: {} (not there; `ci-bench init` without --update writes every file in an empty project)\n",
                 path.string());
      continue;
    }
    const auto content = read_whole_file(path);
    if (!content || init_edited_since(*content)) {
      fmt::print("left alone: {} (edited since init wrote it)\n", path.string());
      ++edited;
    } else if (*content == f.content) {
      fmt::print("unchanged: {}\n", path.string());
    } else {
      write_file_atomically(path, f.content);
      fmt::print("updated: {}\n", path.string());
    }
  }
  if (edited)
    fmt::print("ci-bench: init: the {} left alone still {} what {} had: change {} ci-bench ref ({}) by hand if it should move too\n",
               edited == 1 ? "file" : "files", edited == 1 ? "holds" : "hold", edited == 1 ? "it" : "they",
               edited == 1 ? "its" : "their", options.ref);
  return 0;
}

} // namespace

int init_project(const InitOptions& options) {
  if (options.repository.starts_with("OWNER/"))
    throw Error(ErrorKind::config, "init: which GitHub repository holds ci-bench, for the workflows to call? This ci-bench was "
                                   "built without one: give --ci-bench-repository OWNER/NAME (ci-bench's repository or your "
                                   "fork of it) and --ci-bench-ref (a tag or commit of it)");
  if (!std::regex_match(options.repository, std::regex("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")))
    throw Error(ErrorKind::config, fmt::format("--ci-bench-repository '{}' is not OWNER/NAME", options.repository));
  if (!std::regex_match(options.ref, std::regex("[A-Za-z0-9_./-]+")))
    throw Error(ErrorKind::config, fmt::format("--ci-bench-ref '{}' is not a tag, branch or commit", options.ref));

  const StarterSettings settings{.repository = options.repository, .ref = options.ref,
                                 .branch = default_branch(options.dir), .build_dir = build_folder(options.dir),
                                 .cmake_project = is_cmake_project(options.dir)};
  const auto files = starter_files(settings);
  if (options.update) return update_project(options, files);
  if (const auto obstacles = init_obstacles(options.dir, files); !obstacles.empty()) {
    for (auto& obstacle : obstacles) fmt::print(stderr, "ci-bench: init: {}\n", obstacle);
    fmt::print(stderr, "ci-bench: init: nothing was written (init never overwrites a file)\n");
    return 2;
  }
  write_starter_files(options.dir, files);
  for (auto& f : files) fmt::print("wrote {}\n", (options.dir / f.path).string());

  const fs::path self = fs::read_symlink("/proc/self/exe");
  const std::string driver = driver_as_typed(self);
  fmt::print("\nNext, from {}:\n", options.dir.string());
  const fs::path prefix = self.parent_path().parent_path();
  if (!is_installed(prefix))
    fmt::print("  (this driver is not installed, so find_package(cibench) will not find it: `make install PREFIX=...`\n"
               "  in ci-bench's clone, then add -DCMAKE_PREFIX_PATH=PREFIX to the first command)\n");
  fmt::print("  cmake -S bench -B {0} -DCMAKE_BUILD_TYPE=RelWithDebInfo{1} && cmake --build {0}\n", settings.build_dir,
             prefix_argument(prefix));
  fmt::print("  {} run --update-baselines   # the first baselines, in baselines/\n", driver);
  fmt::print("  {} run                      # the gate: exit 0 pass, 1 regression, 2 error\n", driver);
  fmt::print("\nCommit bench/, ci-bench.toml and .github/. The workflows use ci-bench {}@{} and run on pull\n"
             "requests and on pushes to {}. Baselines measured here gate only this machine's toolchain: for CI's,\n"
             "run the \"ci-bench baseline refresh\" workflow by hand once (Actions tab); it opens a pull request\n"
             "with them. `ci-bench init --update --ci-bench-ref REF` moves the files to another ref later.\n",
             options.repository, options.ref, settings.branch);
  return 0;
}

} // namespace cibench

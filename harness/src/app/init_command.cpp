#include "app/init_command.hpp"

#include "app/init_files.hpp"
#include "app/init_source_pin.hpp"
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
int update_project(const InitOptions& options, const StarterSettings& settings, const std::vector<StarterFile>& files) {
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
               edited == 1 ? "its" : "their", settings.ref);
  return 0;
}

// What the workflows pin: the repository, commit and tag given, else those of this build.
StarterSettings pinned_settings(const InitOptions& options, const SourcePin& built) {
  const std::string repository = options.repository.empty() ? built.repository : options.repository;
  if (repository.empty() || repository.starts_with("OWNER/"))
    throw Error(ErrorKind::config, "init: which GitHub repository holds ci-bench, for the workflows to call? This ci-bench was "
                                   "not built from a clone of one: give --ci-bench-repository OWNER/NAME (ci-bench's repository "
                                   "or your fork of it) and --ci-bench-ref (the full commit SHA of the release to use)");
  if (!std::regex_match(repository, std::regex("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")))
    throw Error(ErrorKind::config, fmt::format("--ci-bench-repository '{}' is not OWNER/NAME", printable_line(repository, 100)));
  const std::string ref = options.ref.empty() ? built.commit : options.ref;
  if (ref.empty())
    throw Error(ErrorKind::config, fmt::format("init: which commit of {} should the workflows pin? This ci-bench does not know "
                                               "the commit it was built from: give --ci-bench-ref SHA (and --ci-bench-tag TAG)",
                                               repository));
  if (!std::regex_match(ref, std::regex("[0-9a-f]{40}")))
    throw Error(ErrorKind::config,
                fmt::format("--ci-bench-ref '{0}' is not a full commit SHA: the workflows pin ci-bench by commit, since a tag or "
                            "a branch can be moved. Look the commit up with `git ls-remote --tags https://github.com/{1} {0}` "
                            "(the line ending in ^{{}} when there is one) and give --ci-bench-ref SHA --ci-bench-tag {0}",
                            printable_line(ref, 100), repository));
  const std::string tag = !options.tag.empty() ? options.tag : ref == built.commit ? built.tag : "";
  if (!tag.empty() && !std::regex_match(tag, std::regex("[A-Za-z0-9_./+-]+")))
    throw Error(ErrorKind::config, fmt::format("--ci-bench-tag '{}' is not a tag name", printable_line(tag, 100)));
  // Written into YAML unquoted: a Docker reference, and only that.
  if (!options.container.empty() &&
      !std::regex_match(options.container, std::regex("[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_.-]+)?(@sha256:[0-9a-f]{64})?")))
    throw Error(ErrorKind::config, fmt::format("--container '{}' is not an image reference (NAME[:TAG][@sha256:DIGEST])",
                                               printable_line(options.container, 100)));
  if (ref == built.commit && options.ref.empty() && built.modified)
    fmt::print(stderr, "ci-bench: init: note: this ci-bench was built from uncommitted changes to {}; the workflows get that "
                       "commit as it was committed\n", ref.substr(0, 12));
  StarterSettings settings;
  settings.repository = repository;
  settings.ref = ref;
  settings.tag = tag;
  settings.container = options.container;
  return settings;
}

} // namespace

int init_project(const InitOptions& options) {
  const fs::path self = fs::read_symlink("/proc/self/exe");
  StarterSettings settings = pinned_settings(options, source_pin_of(self));
  settings.branch = default_branch(options.dir);
  settings.build_dir = build_folder(options.dir);
  settings.cmake_project = is_cmake_project(options.dir);
  const auto files = starter_files(settings);
  if (options.update) return update_project(options, settings, files);
  if (const auto obstacles = init_obstacles(options.dir, files); !obstacles.empty()) {
    for (auto& obstacle : obstacles) fmt::print(stderr, "ci-bench: init: {}\n", obstacle);
    fmt::print(stderr, "ci-bench: init: nothing was written (init never overwrites a file)\n");
    return 2;
  }
  write_starter_files(options.dir, files);
  for (auto& f : files) fmt::print("wrote {}\n", (options.dir / f.path).string());

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
  fmt::print("\nCommit bench/, ci-bench.toml and .github/. The workflows use ci-bench {}@{}{} and run on\n"
             "pull requests and on pushes to {}, in {}. Baselines measured here gate only this machine's toolchain:\n"
             "for CI's, run the \"ci-bench baseline refresh\" workflow by hand once (Actions tab); it opens a pull\n"
             "request with them. `ci-bench init --update --ci-bench-ref SHA --ci-bench-tag TAG` moves the files to\n"
             "another release later.\n",
             settings.repository, settings.ref.substr(0, 12), settings.tag.empty() ? "" : " (" + settings.tag + ")",
             settings.branch, settings.container.empty() ? "debian:12" : settings.container);
  if (settings.container.empty() || settings.container.find("@sha256:") == std::string::npos)
    fmt::print("Pin CI's image by digest (--container debian:12@sha256:...; `docker buildx imagetools inspect debian:12`\n"
               "prints it): a new point release of a floating tag changes the counts, and every baseline with them.\n");
  return 0;
}

} // namespace cibench

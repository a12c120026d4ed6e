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

#include <algorithm>
#include <fmt/format.h>
#include <optional>
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

// --update: each file that init wrote and nobody edited since is rewritten; the others, edited or
// removed, are named and left alone.
int update_project(const InitOptions& options, const StarterSettings& settings, const std::vector<StarterFile>& files) {
  int edited = 0;
  for (auto& f : files) {
    const fs::path path = options.dir / f.path;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec))) { // removed on purpose, or never written: not init's to decide
      fmt::print("left alone: {} (not there: removed on purpose, or replaced by files of your own)\n", path.string());
      continue;
    }
    const auto content = read_whole_file(path);
    if (!content || init_edited_since(*content)) {
      fmt::print("left alone: {} (edited since init wrote it)\n", path.string());
      edited += f.path.starts_with(".github/");
    } else if (*content == f.content) {
      fmt::print("unchanged: {}\n", path.string());
    } else {
      write_file_atomically(path, f.content);
      fmt::print("updated: {}\n", path.string());
    }
  }
  if (edited)
    fmt::print("ci-bench: init: the {} left alone still {} what {} had: change {} ci-bench ref ({}{}) by hand if "
               "it should move too, so that the gate and the refresh measure alike\n",
               edited == 1 ? "workflow" : "workflows", edited == 1 ? "holds" : "hold", edited == 1 ? "it" : "they",
               edited == 1 ? "its" : "their", settings.ref, settings.container.empty() ? "" : " and container " + settings.container);
  return 0;
}

// Whether `text` is at most `limit` characters matching `pattern` (checked for length first: a
// long text would take std::regex's recursion past the stack).
bool matches(const std::string& text, const char* pattern, size_t limit = 200) {
  return text.size() <= limit && std::regex_match(text, std::regex(pattern));
}

// What the workflows pin: the repository, commit and tag given, else those of this build (its
// source.txt, named in any complaint about what it holds).
StarterSettings pinned_settings(const InitOptions& options, const SourcePin& built) {
  const auto from = [&](const std::string& given, const char* option) {
    return given.empty() ? fmt::format("{} (recorded by this ci-bench's build)", built.file.string()) : std::string(option);
  };
  const std::string repository = options.repository.empty() ? built.repository : options.repository;
  if (repository.empty() || repository.starts_with("OWNER/"))
    throw Error(ErrorKind::config, "init: which GitHub repository holds ci-bench, for the workflows to call? This ci-bench was "
                                   "not built from a clone of one: give --ci-bench-repository OWNER/NAME (ci-bench's repository "
                                   "or your fork of it)");
  // GitHub's names: an owner of letters, digits and '-'; a repository of those and '_' '.', not "." or "..".
  if (!matches(repository, "[A-Za-z0-9-]+/[A-Za-z0-9_.-]+") || repository.ends_with("/.") || repository.ends_with("/..") ||
      repository.ends_with(".git"))
    throw Error(ErrorKind::config, fmt::format("{}: '{}' is not a GitHub repository's OWNER/NAME",
                                               from(options.repository, "--ci-bench-repository"), printable_line(repository, 100)));
  std::string ref = options.ref.empty() ? built.commit : options.ref;
  if (ref.empty())
    throw Error(ErrorKind::config, fmt::format("init: which commit of {} should the workflows pin? This ci-bench does not know "
                                               "the commit it was built from: give --ci-bench-ref SHA (and --ci-bench-tag TAG)",
                                               repository));
  if (matches(ref, "[0-9A-Fa-f]{40}")) std::transform(ref.begin(), ref.end(), ref.begin(), [](unsigned char c) { return std::tolower(c); });
  if (matches(ref, "[0-9A-Fa-f]{4,39}"))
    throw Error(ErrorKind::config, fmt::format("{}: '{}' is a short commit SHA: the workflows pin the full one, 40 hex digits "
                                               "(`git rev-parse {}` in a clone of {} prints it)",
                                               from(options.ref, "--ci-bench-ref"), printable_line(ref, 100),
                                               printable_line(ref, 100), repository));
  if (!matches(ref, "[0-9a-f]{40}"))
    throw Error(ErrorKind::config,
                fmt::format("{0}: '{1}' is not a full commit SHA: the workflows pin ci-bench by commit, since a tag or a "
                            "branch can be moved. Look the commit up with `git ls-remote --tags https://github.com/{2} {1}` "
                            "(the line ending in ^{{}} when there is one) and give --ci-bench-ref SHA --ci-bench-tag {1}",
                            from(options.ref, "--ci-bench-ref"), printable_line(ref, 100), repository));
  // A tag names a commit: given alone, it would relabel the build's commit, whose tag the build knows.
  if (!options.tag.empty() && options.ref.empty())
    throw Error(ErrorKind::config, "--ci-bench-tag names the tag of --ci-bench-ref's commit: give both");
  const std::string tag = !options.tag.empty() ? options.tag : ref == built.commit ? built.tag : "";
  if (!tag.empty() && !matches(tag, "[A-Za-z0-9_./+-]+"))
    throw Error(ErrorKind::config, fmt::format("{}: '{}' is not a tag name (letters, digits and _ . / + -)",
                                               from(options.tag, "--ci-bench-tag"), printable_line(tag, 100)));
  // A Docker reference: [REGISTRY[:PORT]/]NAME[:TAG][@sha256:DIGEST], quoted in the YAML.
  if (!options.container.empty() &&
      !matches(options.container, "([a-z0-9.-]+(:[0-9]+)?/)?[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_.-]+)?(@sha256:[0-9a-f]{64})?"))
    throw Error(ErrorKind::config, fmt::format("--container '{}' is not an image reference ([REGISTRY/]NAME[:TAG][@sha256:DIGEST], "
                                               "the digest 64 lowercase hex digits)",
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

// The build folder the files init wrote already use (their build command's `-B FOLDER`), so that
// --update keeps it even once the project has a build/ of its own (made by init's first command).
std::optional<std::string> build_folder_in_use(const fs::path& dir) {
  for (const char* file : {".github/workflows/ci-bench.yml", ".github/workflows/ci-bench-refresh.yml"}) {
    const auto text = read_whole_file(dir / file);
    std::smatch found;
    if (text && text->size() < 1'000'000 && std::regex_search(*text, found, std::regex("build-command: cmake -S bench -B ([A-Za-z0-9_.-]+) ")))
      return found[1].str();
  }
  return std::nullopt;
}

} // namespace

int init_project(const InitOptions& options) {
  const fs::path self = fs::read_symlink("/proc/self/exe");
  StarterSettings settings = pinned_settings(options, source_pin_of(self));
  settings.branch = default_branch(options.dir);
  const auto in_use = options.update ? build_folder_in_use(options.dir) : std::nullopt;
  settings.build_dir = in_use ? *in_use : build_folder(options.dir);
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
  fmt::print("\nCommit bench/, ci-bench.toml and .github/. The workflows use ci-bench {}@{}{},\n"
             "run on pull requests and on pushes to {}, and measure in {}. Baselines measured here gate only\n"
             "this machine's toolchain: for CI's, run the \"ci-bench baseline refresh\" workflow by hand once\n"
             "(Actions tab); it opens a pull request with them. `ci-bench init --update --ci-bench-ref SHA\n"
             "--ci-bench-tag TAG` moves the files to another release later.\n",
             settings.repository, settings.ref.substr(0, 12), settings.tag.empty() ? "" : " (" + settings.tag + ")",
             settings.branch, settings.container.empty() ? "debian:12" : settings.container);
  if (settings.tag.empty())
    fmt::print("The pin has no tag beside it: {} is not a tagged release of ci-bench as far as this build knows\n"
               "(give --ci-bench-tag TAG with --ci-bench-ref when it is one).\n",
               settings.ref.substr(0, 12));
  if (settings.container.empty() || settings.container.find("@sha256:") == std::string::npos)
    fmt::print("Pin CI's image by digest (--container debian:12@sha256:...; `docker buildx imagetools inspect debian:12`\n"
               "prints it): a new point release of a floating tag changes the counts, and every baseline with them.\n");
  return 0;
}

} // namespace cibench

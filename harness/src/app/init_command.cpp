#include "app/init_command.hpp"

#include "app/init_files.hpp"
#include "app/init_templates.hpp"
#include "exec/process.hpp"
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

} // namespace

int init_project(const InitOptions& options) {
  if (!std::regex_match(options.repository, std::regex("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")))
    throw Error(ErrorKind::config, fmt::format("--ci-bench-repository '{}' is not OWNER/NAME", options.repository));
  if (!std::regex_match(options.ref, std::regex("[A-Za-z0-9_./-]+")))
    throw Error(ErrorKind::config, fmt::format("--ci-bench-ref '{}' is not a tag, branch or commit", options.ref));

  const auto files = starter_files(options.repository, options.ref);
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
  fmt::print("  cmake -S bench -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo{} && cmake --build build\n", prefix_argument(prefix));
  fmt::print("  {} run --update-baselines   # the first baselines, in baselines/\n", driver);
  fmt::print("  {} run                      # the gate: exit 0 pass, 1 regression, 2 error\n", driver);
  fmt::print("\nCommit bench/, ci-bench.toml and .github/. The workflows use ci-bench {}@{}. Baselines measured\n"
             "here gate only this machine's toolchain: for CI's, run the \"ci-bench baseline refresh\" workflow\n"
             "by hand once (Actions tab); it opens a pull request with them.\n",
             options.repository, options.ref);
  return 0;
}

} // namespace cibench

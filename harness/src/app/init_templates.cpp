#include "app/init_templates.hpp"

#include "util/sha256.hpp"

#include <fmt/format.h>
#include <string_view>

namespace cibench {
namespace {

constexpr std::string_view kConfig = R"(# ci-bench: `ci-bench run` measures these benchmarks under Valgrind and compares them with
# the baselines in baselines/ (relative paths are relative to this file). Exit 0 pass,
# 1 regression, 2 error.
baseline_dir = "baselines"
tool = "callgrind"              # exact regions: only the body of bench.measure() counts
# Settings for every benchmark go here, above the first [table]: heap = true, timeout, env.

# What the PR comment and the driver's hints tell a reader to type.
[report]
reproduce = "@BUILD_COMMAND@ && ci-bench run"

[thresholds]
fail = { instructions = "1%" }
warn = { instructions = "0.2%" }

# The branch whose points the history's trends and drift follow (ci-bench history).
[drift]
branch = "@BRANCH@"

# A program built with <cibench/workload.hpp>: its benchmarks are found with --list.
[[suite]]
binary = "@BUILD@/bin/example_bench"

# A plain command, measured whole; files of the repository are copied into its working folder:
# [[benchmark]]
# name = "tool.words"
# command = ["build/bin/my_tool", "words.txt"]
# inputs = ["data/words.txt"]
)";

constexpr std::string_view kBenchmark = R"(// An example benchmark: ci-bench runs the program with --list, then measures each body under
// Valgrind. Replace the sort with a call into your code.
#include <cibench/workload.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

static std::vector<std::uint32_t> shuffled(std::size_t n) {
  std::vector<std::uint32_t> v(n);
  std::uint32_t x = 12345;
  for (auto& e : v) e = (x = x * 1103515245u + 12345u) >> 8;
  return v;
}

CIBENCH_BENCHMARK("example.sort.10k", bench) {
  auto v = shuffled(10'000);                              // setup: not measured
  bench.measure([&] { std::sort(v.begin(), v.end()); });  // the region that counts
  cibench::black_box(v.data());                           // keep the result alive
}

CIBENCH_MAIN()
)";

constexpr std::string_view kCMake = R"(# The benchmarks ci-bench measures. On their own: @BUILD_COMMAND@; or from your project's
# CMakeLists.txt: add_subdirectory(bench). ci-bench.toml expects the programs in @BUILD@/bin/.
cmake_minimum_required(VERSION 3.22)
project(benchmarks LANGUAGES C CXX)

if(NOT TARGET cibench::workload) # already there when ci-bench is a subproject of yours
  find_package(cibench 0.1 CONFIG REQUIRED)
endif()
@PARENT@
add_executable(example_bench example_bench.cpp)
target_link_libraries(example_bench PRIVATE cibench::workload)  # and your library's target
set_target_properties(example_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
)";

constexpr std::string_view kGateWorkflow = R"(# The ci-bench gate on every pull request: ci-bench's reusable workflow, pinned to one commit, the
# same in `uses:` and in ci-bench-ref (`ci-bench init --update --ci-bench-ref SHA` moves both, in
# the three workflows). It runs the pull request's code with a read-only token;
# ci-bench-comment.yml posts the report.
name: ci-bench

on:
  pull_request:
  push:
    branches: ["@BRANCH@"]

permissions:
  contents: read

jobs:
  gate:
    uses: @REPOSITORY@/.github/workflows/reusable-gate.yml@@REF@@TAG_COMMENT@
    with:
      ci-bench-repository: @REPOSITORY@
      ci-bench-ref: @REF@
      build-command: @BUILD_COMMAND@@CONTAINER@
)";

constexpr std::string_view kCommentWorkflow = R"(# Posts the gate's report as one sticky comment. A separate workflow_run workflow, because a pull
# request from a fork must never run with a write token; the scripts come from ci-bench at the
# pinned ref, never from this repository or the pull request.
name: ci-bench comment

on:
  workflow_run:
    workflows: [ci-bench]
    types: [completed]

permissions:
  actions: read
  contents: read
  pull-requests: write

jobs:
  comment:
    uses: @REPOSITORY@/.github/workflows/reusable-comment.yml@@REF@@TAG_COMMENT@
    with:
      ci-bench-repository: @REPOSITORY@
      ci-bench-ref: @REF@
)";

constexpr std::string_view kRefreshWorkflow = R"(# Measures on the default branch in CI's image and opens a pull request with the baselines. Run it
# by hand (Actions → ci-bench baseline refresh → Run workflow) to record the first baselines on
# CI's toolchain. Needs Settings → Actions → General → "Allow GitHub Actions to create and approve
# pull requests".
name: ci-bench baseline refresh

on:
  workflow_dispatch:
  schedule:
    - cron: "17 4 * * 1"  # Mondays, 04:17 UTC

permissions:
  contents: write
  pull-requests: write

jobs:
  refresh:
    uses: @REPOSITORY@/.github/workflows/reusable-refresh.yml@@REF@@TAG_COMMENT@
    with:
      ci-bench-repository: @REPOSITORY@
      ci-bench-ref: @REF@
      build-command: @BUILD_COMMAND@@CONTAINER@
)";

constexpr std::string_view kMark = "ci-bench init, rewritten by `init --update` while unedited: ";

// The file's text with every @MARKER@ filled in, and init's mark as its last line.
std::string filled_and_marked(std::string_view text, const StarterSettings& s, std::string_view comment) {
  // Run at the root of a CMake project, the benchmarks build against its own targets: built alone
  // (cmake -S bench), bench/ adds the project, excluded from `all`, so only what they link is built.
  const std::string parent = s.cmake_project
      ? "\n# This project's own targets, to link the benchmarks against; only what they link is built.\n"
        "if(PROJECT_IS_TOP_LEVEL)\n  add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/.. project EXCLUDE_FROM_ALL)\nendif()\n"
      : "";
  const std::string build_command =
      fmt::format("cmake -S bench -B {0} -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build {0}", s.build_dir);
  const std::string tag_comment = s.tag.empty() ? "" : "  # " + s.tag;
  const std::string container = s.container.empty() ? "" : "\n      container: \"" + s.container + "\"";
  std::string out(text);
  for (auto [marker, value] : {std::pair<std::string_view, const std::string&>{"@REPOSITORY@", s.repository},
                               {"@REF@", s.ref}, {"@TAG_COMMENT@", tag_comment}, {"@BRANCH@", s.branch},
                               {"@BUILD_COMMAND@", build_command}, {"@BUILD@", s.build_dir}, {"@PARENT@", parent},
                               {"@CONTAINER@", container}})
    for (size_t at; (at = out.find(marker)) != std::string::npos;) out.replace(at, marker.size(), value);
  return out + fmt::format("{} {}{}\n", comment, kMark, sha256_hex(out));
}

} // namespace

std::vector<StarterFile> starter_files(const StarterSettings& s) {
  return {
      {"ci-bench.toml", filled_and_marked(kConfig, s, "#")},
      {"bench/example_bench.cpp", filled_and_marked(kBenchmark, s, "//")},
      {"bench/CMakeLists.txt", filled_and_marked(kCMake, s, "#")},
      {".github/workflows/ci-bench.yml", filled_and_marked(kGateWorkflow, s, "#")},
      {".github/workflows/ci-bench-comment.yml", filled_and_marked(kCommentWorkflow, s, "#")},
      {".github/workflows/ci-bench-refresh.yml", filled_and_marked(kRefreshWorkflow, s, "#")},
  };
}

bool init_edited_since(const std::string& content) {
  if (content.empty() || content.back() != '\n') return true;
  const size_t last = content.rfind('\n', content.size() - 2);
  const std::string above = last == std::string::npos ? "" : content.substr(0, last + 1);
  const std::string mark_line = content.substr(last == std::string::npos ? 0 : last + 1);
  const size_t at = mark_line.find(kMark);
  if (at == std::string::npos) return true;
  return mark_line.substr(at + kMark.size()) != sha256_hex(above) + "\n";
}

} // namespace cibench

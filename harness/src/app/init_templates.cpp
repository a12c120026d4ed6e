#include "app/init_templates.hpp"

#include <string_view>

namespace cibench {
namespace {

constexpr std::string_view kConfig = R"(# ci-bench: `ci-bench run` measures these benchmarks under Valgrind and compares them with
# the baselines in baselines/ (relative paths are relative to this file). Exit 0 pass,
# 1 regression, 2 error.
baseline_dir = "baselines"
tool = "callgrind"              # exact regions: only the body of bench.measure() counts

# What the PR comment and the driver's hints tell a reader to type.
[report]
reproduce = "cmake --build build && ci-bench run"

[thresholds]
fail = { instructions = "1%" }
warn = { instructions = "0.2%" }

# A program built with <cibench/workload.hpp>: its benchmarks are found with --list.
[[suite]]
binary = "build/bin/example_bench"

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

constexpr std::string_view kCMake = R"(# The benchmarks ci-bench measures. On their own: cmake -S bench -B build; or from your project's
# CMakeLists.txt: add_subdirectory(bench). ci-bench.toml expects the programs in build/bin/.
cmake_minimum_required(VERSION 3.22)
project(benchmarks LANGUAGES CXX)

if(NOT TARGET cibench::workload) # already there when ci-bench is a subproject of yours
  find_package(cibench 0.1 CONFIG REQUIRED)
endif()

add_executable(example_bench example_bench.cpp)
target_link_libraries(example_bench PRIVATE cibench::workload)
set_target_properties(example_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
)";

constexpr std::string_view kGateWorkflow = R"(# The ci-bench gate on every pull request: ci-bench's reusable workflow, pinned to one ref (give
# the same ref in `uses:` and in ci-bench-ref). It runs the pull request's code with a read-only
# token; ci-bench-comment.yml posts the report.
name: ci-bench

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

jobs:
  gate:
    uses: @REPOSITORY@/.github/workflows/reusable-gate.yml@@REF@
    with:
      ci-bench-repository: @REPOSITORY@
      ci-bench-ref: @REF@
      build-command: cmake -S bench -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build
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
    uses: @REPOSITORY@/.github/workflows/reusable-comment.yml@@REF@
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
    uses: @REPOSITORY@/.github/workflows/reusable-refresh.yml@@REF@
    with:
      ci-bench-repository: @REPOSITORY@
      ci-bench-ref: @REF@
      build-command: cmake -S bench -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build
)";

std::string fill(std::string_view text, const std::string& repository, const std::string& ref) {
  std::string out(text);
  for (auto [marker, value] : {std::pair<std::string_view, const std::string&>{"@REPOSITORY@", repository}, {"@REF@", ref}})
    for (size_t at; (at = out.find(marker)) != std::string::npos;) out.replace(at, marker.size(), value);
  return out;
}

} // namespace

std::vector<StarterFile> starter_files(const std::string& repository, const std::string& ref) {
  return {
      {"ci-bench.toml", std::string(kConfig)},
      {"bench/example_bench.cpp", std::string(kBenchmark)},
      {"bench/CMakeLists.txt", std::string(kCMake)},
      {".github/workflows/ci-bench.yml", fill(kGateWorkflow, repository, ref)},
      {".github/workflows/ci-bench-comment.yml", fill(kCommentWorkflow, repository, ref)},
      {".github/workflows/ci-bench-refresh.yml", fill(kRefreshWorkflow, repository, ref)},
  };
}

} // namespace cibench

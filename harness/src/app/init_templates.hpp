#pragma once
// The files `ci-bench init` writes: a starter config, one example benchmark and its CMake, and the
// GitHub workflows that call ci-bench's reusable ones at a pinned ref.
#include <string>
#include <vector>

namespace cibench {

struct StarterFile {
  std::string path; // relative to the project's folder
  std::string content;
};

// `repository` (OWNER/NAME) and `ref` name ci-bench on GitHub in the workflows.
std::vector<StarterFile> starter_files(const std::string& repository, const std::string& ref);

} // namespace cibench

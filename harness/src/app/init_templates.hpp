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

// What the files are made for: the project they land in.
struct StarterSettings {
  std::string repository; // ci-bench on GitHub (OWNER/NAME), which the workflows call
  std::string ref;        // the full commit SHA of it they pin
  std::string tag;        // that commit's tag, written beside the SHA as a comment; may be ""
  std::string container;  // the image CI measures in (reusable-gate.yml's `container`); "": its default
  std::string branch;     // the project's default branch: the gate also runs on its pushes
  std::string build_dir;  // the benchmarks' build folder, relative to the project
  bool cmake_project = false; // the folder holds a CMakeLists.txt: bench/ builds against its targets
};

// Each file ends with a line that records the hash of the lines above it, so that
// `init --update` can tell a file nobody edited since (init_edited_since reads it).
std::vector<StarterFile> starter_files(const StarterSettings& settings);

// Whether `content` (a starter file as it is now) was edited since init wrote it: its last line is
// not init's mark, or the lines above no longer hash to it.
bool init_edited_since(const std::string& content);

} // namespace cibench

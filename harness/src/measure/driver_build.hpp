#pragma once
// Which ci-bench measured: results.json names it, and `merge` refuses shards of two builds, whose
// counts or verdicts may differ in ways no other field shows.
#include <string>

namespace cibench {

struct DriverBuild {
  std::string version; // CMake's PROJECT_VERSION, as `ci-bench --version` prints it
  // SHA-256 of what the loader maps of the driver's own program (util/elf_loaded_content.hpp):
  // any change to its code is a new build, while the same code built in another folder is not.
  // Empty when /proc/self/exe cannot be read.
  std::string build;

  bool operator==(const DriverBuild&) const = default;
};

// This process's; computed once.
const DriverBuild& this_driver();

} // namespace cibench

#pragma once
// Which ci-bench `init`'s workflows call by default: the GitHub repository and the commit this
// driver was built from, with the commit's tag if it has one (share/ci-bench/source.txt beside the
// driver, written by cmake/source_pin.cmake). Empty fields: the build did not know.
#include <filesystem>
#include <string>

namespace cibench {

struct SourcePin {
  std::string repository; // OWNER/NAME on GitHub
  std::string commit;     // the full commit SHA
  std::string tag;        // the commit's tag, or ""
  bool modified = false;  // built from a tree with uncommitted changes
  std::filesystem::path file; // where it was read from
};

// The pin of the driver at `driver` (its real path); all empty when its file is missing, is not a
// regular file or is larger than a pin can be.
SourcePin source_pin_of(const std::filesystem::path& driver);

} // namespace cibench

#include "valgrind/output_files.hpp"

#include "util/file_names.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace cibench {
namespace fs = std::filesystem;

RunFiles run_files(const fs::path& dir, std::string_view name, RunRole role, std::string_view tool) {
  const char* suffix = role == RunRole::calibration ? ".calibrate"
                       : role == RunRole::heap      ? ".heap"
                       : role == RunRole::heap_peak ? ".heap-peak"
                                                    : "";
  const std::string stem = file_stem(name) + suffix;
  return {dir / fmt::format("{}.{}.out", stem, tool), dir / (stem + ".valgrind.log"), dir / (stem + ".stdout"),
          dir / (stem + ".stderr")};
}

std::vector<fs::path> profile_parts(const fs::path& profile) {
  std::vector<fs::path> parts;
  const std::string base = profile.filename().string();
  std::error_code ec;
  for (auto& e : fs::directory_iterator(profile.parent_path(), ec)) {
    const std::string n = e.path().filename().string();
    const bool numbered_part = n.size() > base.size() + 1 && n.starts_with(base + ".") &&
                               n.find_first_not_of("0123456789", base.size() + 1) == std::string::npos;
    if (n == base || numbered_part) parts.push_back(e.path());
  }
  std::sort(parts.begin(), parts.end());
  return parts;
}

} // namespace cibench

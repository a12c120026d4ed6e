#pragma once
// Which function a source line belongs to, from a program's DWARF (elfutils' libdw). Valgrind names
// the function code ran in; for inlined code that is the caller, and the line is the inlined
// function's own. This names the inlined function: the one whose definition starts last at or
// before the line, in the same file.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cibench {

class SourceFunctions {
public:
  // Reads the program's (and only its own, not its libraries') DWARF. Empty when it has none or
  // cannot be read: the lines are still known, only not their functions' names.
  static SourceFunctions read(const std::filesystem::path& program);

  // `file` as reports name it (relative to `project_dir` when inside it). "" when unknown.
  std::string function_at(const std::string& file, std::uint32_t line, const std::filesystem::path& project_dir) const;
  bool empty() const { return by_file_.empty(); }

  // Whether a DWARF name (function_at's) and a Valgrind name are one function. DWARF names a
  // function without a linkage name (a static one, a C one) by its bare name, no scope and no
  // parameters ("key"), where Valgrind says "ns::key(long)": then the bare names are compared.
  static bool same_function(std::string_view dwarf_name, std::string_view valgrind_name);

private:
  // Normalised absolute file -> (first line, function name), sorted by line.
  std::map<std::string, std::vector<std::pair<std::uint32_t, std::string>>> by_file_;
};

} // namespace cibench

#pragma once
// One Valgrind tool behind one small interface: its arguments, how its output is read, and how it
// measures a suite's region. A new tool is a folder beside cachegrind/ and one line in tool.cpp.
#include "valgrind/profile.hpp"
#include "valgrind/valgrind.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cibench {

class ValgrindTool {
public:
  virtual ~ValgrindTool() = default;

  virtual std::string_view name() const = 0; // as in --tool=NAME and in the config's `tool`

  // Its arguments after --tool=NAME, writing each process's profile as `files` names it.
  // `region_only`: count only what the workload brackets with client requests, where the tool can.
  virtual std::vector<std::string> arguments(const ValgrindSettings& settings, const RunFiles& files,
                                             bool region_only) const = 0;

  // True when one run counts exactly a suite benchmark's body; false when the region is the run
  // with the body minus a calibration run without it.
  virtual bool counts_region_in_one_run() const = 0;

  // Reads what one run wrote at `profile` (with any numbered parts). Throws Error(parse).
  virtual Profile read(const std::filesystem::path& profile) const = 0;

  // Checks a profile of a measured run: the events these settings promise, and for a region, that
  // the region was seen. Throws Error(parse) naming `profile`.
  virtual void check(const Profile& p, const ValgrindSettings& settings, bool region_only,
                     const std::filesystem::path& profile) const;

  // True when `file` looks like this tool's output (for `ci-bench diff`).
  virtual bool wrote(const std::filesystem::path& file) const = 0;
};

// The tool named `name`; throws Error(config) listing the known ones.
const ValgrindTool& valgrind_tool(std::string_view name);
std::vector<std::string_view> valgrind_tool_names();

// The tool whose output `file` is; throws Error(parse) when none recognises it.
const ValgrindTool& tool_that_wrote(const std::filesystem::path& file);

} // namespace cibench

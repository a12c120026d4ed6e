#include "valgrind/tool.hpp"

#include "util/error.hpp"
#include "valgrind/cachegrind/cachegrind_tool.hpp"
#include "valgrind/callgrind/callgrind_tool.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace cibench {
namespace {

// Every tool ci-bench can measure with: the one list to extend.
const std::vector<const ValgrindTool*>& registry() {
  static const std::vector<const ValgrindTool*> tools = {&cachegrind_tool(), &callgrind_tool()};
  return tools;
}

} // namespace

void ValgrindTool::check(const Profile& p, const ValgrindSettings& s, bool, const std::filesystem::path& profile) const {
  require_events(p, s, profile);
}

const ValgrindTool& valgrind_tool(std::string_view name) {
  for (auto* t : registry())
    if (t->name() == name) return *t;
  throw Error(ErrorKind::config, fmt::format("tool '{}' is not one of \"{}\"", name, fmt::join(valgrind_tool_names(), "\", \"")));
}

std::vector<std::string_view> valgrind_tool_names() {
  std::vector<std::string_view> names;
  for (auto* t : registry()) names.push_back(t->name());
  return names;
}

const ValgrindTool& tool_that_wrote(const std::filesystem::path& file) {
  for (auto* t : registry())
    if (t->wrote(file)) return *t;
  throw Error(ErrorKind::parse, fmt::format("{}: not an output file of {}", file.string(), fmt::join(valgrind_tool_names(), " or ")));
}

} // namespace cibench

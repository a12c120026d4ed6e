#include "app/folded_command.hpp"

#include "elf/source_functions.hpp"
#include "exec/suite_protocol.hpp"
#include "report/flamegraph_svg.hpp"
#include "report/flamegraphs.hpp"
#include "util/atomic_file.hpp"
#include "valgrind/callgrind/callgrind_parser.hpp"
#include "valgrind/callgrind/folded_stacks.hpp"

#include <fmt/format.h>

namespace cibench {
namespace fs = std::filesystem;

namespace {

// The profile's stacks, with a suite body's stable name; inlined code as frames when `sources` has the program's DWARF.
std::string folded_of(const fs::path& callgrind_file, const SourceFunctions& sources) {
  if (fs::exists(callgrind_file) && !looks_like_callgrind(callgrind_file))
    throw Error(ErrorKind::parse, fmt::format("{} is not a Callgrind profile: stacks need Callgrind's calls (measure with "
                                              "tool = \"callgrind\", or `ci-bench explain NAME --tool callgrind`)",
                                              callgrind_file.string()));
  Profile profile = parse_callgrind_files({callgrind_file});
  const std::string benchmark = suite_protocol::benchmark_of_command(profile.cmd);
  const auto stable = [&](const std::string& name) {
    return benchmark.empty() ? name : suite_protocol::stable_function_name(name, benchmark);
  };
  const InlinedCosts inlined = inlined_costs(profile, sources, fs::current_path(), stable);
  for (auto& f : profile.functions) f.function = stable(f.function);
  return folded_stacks(profile, benchmark, inlined);
}

} // namespace

void print_folded_stacks(const fs::path& callgrind_file, std::FILE* out) {
  std::fputs(folded_of(callgrind_file, {}).c_str(), out);
}

void write_flamegraph(const FlamegraphOptions& o) {
  const SourceFunctions sources = o.program.empty() ? SourceFunctions{} : SourceFunctions::read(o.program);
  if (!o.program.empty() && sources.empty())
    throw Error(ErrorKind::setup, fmt::format("{}: no DWARF function definitions (build it with -g), so inlined code "
                                              "cannot be named; leave out --program to draw without it",
                                              o.program.string()));
  FlameGraph graph{.title = o.old_file.empty() ? fmt::format("{}: instructions", o.new_file.filename().string())
                                               : fmt::format("{} against {}: instructions", o.new_file.filename().string(),
                                                             o.old_file.filename().string()),
                   .folded = folded_of(o.new_file, sources), .old_folded = {}, .change_by_frame = {}, .change_at_least = {}};
  if (!o.old_file.empty()) graph.old_folded = folded_of(o.old_file, sources);
  write_file_atomically(o.output, flamegraph_svg(graph));
}

} // namespace cibench

#include "app/folded_command.hpp"

#include "exec/suite_protocol.hpp"
#include "valgrind/callgrind/callgrind_parser.hpp"
#include "valgrind/callgrind/folded_stacks.hpp"

namespace cibench {

void print_folded_stacks(const std::filesystem::path& callgrind_file, std::FILE* out) {
  Profile profile = parse_callgrind_files({callgrind_file});
  const std::string benchmark = suite_protocol::benchmark_of_command(profile.cmd);
  if (!benchmark.empty())
    for (auto& f : profile.functions) f.function = suite_protocol::stable_function_name(f.function, benchmark);
  std::fputs(folded_stacks(profile, benchmark).c_str(), out);
}

} // namespace cibench

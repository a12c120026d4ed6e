#include "valgrind/callgrind/callgrind_tool.hpp"

#include "util/error.hpp"
#include "valgrind/callgrind/callgrind_parser.hpp"

#include <algorithm>

namespace cibench {
namespace {

class Callgrind final : public ValgrindTool {
public:
  std::string_view name() const override { return "callgrind"; }

  std::vector<std::string> arguments(const ValgrindSettings& s, const RunFiles& files,
                                     bool region_only) const override {
    auto args = counting_arguments(s, files.profile_option("--callgrind-out-file="));
    // Valgrind otherwise names every function below main "(below main)", and two such functions
    // (__libc_start_main's and __libc_start_call_main's) made a false cycle that gave half of main's
    // cost to __libc_start_main in folded stacks and flame graphs. Names only: no count changes.
    args.insert(args.begin() + 1, "--show-below-main=yes");
    if (region_only) args.insert(args.begin() + 1, "--instr-atstart=no");
    return args;
  }

  bool counts_region_in_one_run() const override { return true; }

  // A workload that calls CALLGRIND_DUMP_STATS writes numbered parts beside the profile.
  Profile read(const std::filesystem::path& profile) const override {
    return parse_callgrind_files(profile_parts(profile));
  }

  void check(const Profile& p, const ValgrindSettings& s, bool region_only,
             const std::filesystem::path& profile) const override {
    ValgrindTool::check(p, s, region_only, profile);
    // An empty region counts 0 but runs one basic block; "Basic block 0 - 0" means the workload
    // never started instrumentation.
    if (region_only && std::find(p.desc.begin(), p.desc.end(), "Timerange: Basic block 0 - 0") != p.desc.end())
      throw Error(ErrorKind::parse,
                  "Callgrind never saw the region start: was the workload built without <valgrind/callgrind.h> "
                  "(package valgrind)? bench.measure() uses CALLGRIND_START_INSTRUMENTATION from it.");
  }

  bool wrote(const std::filesystem::path& file) const override { return looks_like_callgrind(file); }
};

} // namespace

const ValgrindTool& callgrind_tool() {
  static const Callgrind tool;
  return tool;
}

} // namespace cibench

#include "valgrind/valgrind.hpp"

#include "exec/process.hpp"
#include "exec/sandbox.hpp"
#include "util/error.hpp"
#include "metrics/metrics.hpp"
#include "valgrind/profile.hpp"
#include "valgrind/tool.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>

namespace cibench {

Valgrind find_valgrind() {
  Valgrind v;
  v.executable = find_on_path("valgrind");
  const char* hint = "valgrind is not installed: run `sudo ci/install-deps.sh` or `sudo apt-get install valgrind`";
  if (!v.executable.is_absolute()) throw Error(ErrorKind::setup, hint);
  Sandbox scratch;
  ProcessSpec spec{.argv = {v.executable.string(), "--version"},
                   .env = {},
                   .cwd = scratch.dir(),
                   .stdout_file = scratch.dir() / "version",
                   .stderr_file = scratch.dir() / "stderr",
                   .timeout = std::chrono::seconds(30)};
  if (!run_process(spec).ok())
    throw Error(ErrorKind::setup, fmt::format("`{} --version` failed; {}", v.executable.string(), hint));
  std::ifstream in(spec.stdout_file);
  std::getline(in, v.version);
  return v;
}

std::vector<std::string> counting_arguments(const ValgrindSettings& s, const std::string& out_file_option) {
  std::vector<std::string> args = {"--branch-sim=no"};
  if (s.cache_sim) args.insert(args.end(), {"--cache-sim=yes", "--I1=" + s.i1, "--D1=" + s.d1, "--LL=" + s.ll});
  else args.push_back("--cache-sim=no");
  args.push_back(out_file_option);
  return args;
}

std::vector<std::string> valgrind_argv(const Valgrind& valgrind, const ValgrindTool& tool, const ValgrindSettings& s,
                                       const RunFiles& files, bool region_only, bool trace_children,
                                       const std::vector<std::string>& program_argv) {
  std::vector<std::string> argv = {valgrind.executable.string(), fmt::format("--tool={}", tool.name())};
  for (auto& a : tool.arguments(s, files, region_only)) argv.push_back(a);
  if (trace_children) argv.push_back("--trace-children=yes");
  argv.push_back(files.log_option());
  argv.insert(argv.end(), program_argv.begin(), program_argv.end());
  return argv;
}

void require_events(const Profile& profile, const ValgrindSettings& s, const std::filesystem::path& file) {
  const std::vector<std::string> expected = s.cache_sim ? kCacheEvents : std::vector<std::string>{"Ir"};
  for (auto& event : expected)
    if (std::find(profile.events.begin(), profile.events.end(), event) == profile.events.end())
      throw Error(ErrorKind::parse,
                  fmt::format("{}: has no {} event although cache_sim = {}", file.string(), event, s.cache_sim));
}

} // namespace cibench

#include "valgrind/valgrind.hpp"

#include "util/error.hpp"
#include "valgrind/metrics.hpp"
#include "exec/process.hpp"
#include "exec/sandbox.hpp"

#include <fmt/format.h>
#include <fstream>

namespace cibench {
namespace {

// Valgrind expands %p, %q{VAR} and %% in its file options: a literal '%' must be doubled.
std::string file_option(const std::string& option, const std::filesystem::path& path) {
  std::string escaped;
  for (char c : path.string()) escaped += c == '%' ? std::string("%%") : std::string(1, c);
  return option + escaped;
}

} // namespace

Valgrind find_valgrind() {
  Valgrind v;
  v.executable = resolve_program("valgrind", ".");
  const char* hint = "valgrind is not installed: run `sudo ci/install-deps.sh` or `sudo apt-get install valgrind`";
  if (!v.executable.is_absolute()) throw Error(hint);
  Sandbox scratch;
  ProcessSpec spec{.argv = {v.executable.string(), "--version"},
                   .env = {},
                   .cwd = scratch.dir(),
                   .stdout_file = scratch.dir() / "version",
                   .stderr_file = scratch.dir() / "stderr",
                   .timeout = std::chrono::seconds(30)};
  if (!run_process(spec).ok()) throw Error(fmt::format("`{} --version` failed; {}", v.executable.string(), hint));
  std::ifstream in(spec.stdout_file);
  std::getline(in, v.version);
  return v;
}

std::vector<std::string> valgrind_argv(const Valgrind& valgrind, Tool tool, const ValgrindSettings& s, const RunFiles& files,
                                       bool region_only, const std::vector<std::string>& program_argv) {
  std::vector<std::string> argv = {valgrind.executable.string(), "--tool=" + to_string(tool), "--branch-sim=no"};
  if (tool == Tool::callgrind && region_only) argv.push_back("--instr-atstart=no");
  if (s.cache_sim) {
    argv.insert(argv.end(), {"--cache-sim=yes", "--I1=" + s.i1, "--D1=" + s.d1, "--LL=" + s.ll});
  } else {
    argv.push_back("--cache-sim=no");
  }
  argv.push_back(file_option(fmt::format("--{}-out-file=", to_string(tool)), files.profile));
  argv.push_back(file_option("--log-file=", files.valgrind_log));
  argv.insert(argv.end(), program_argv.begin(), program_argv.end());
  return argv;
}

std::vector<std::string> expected_events(const ValgrindSettings& s) {
  return s.cache_sim ? kCacheEvents : std::vector<std::string>{"Ir"};
}

} // namespace cibench

#pragma once
// The one place ci-bench starts processes. No shell: argv is exec'd as given.
#include "util/error.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace cibench {

// The most processes run_process may have running at once (the interrupt handler tracks each);
// `--jobs` is capped at it.
inline constexpr unsigned kMaxConcurrentProcesses = 256;

struct ProcessSpec {
  std::vector<std::string> argv;      // argv[0] must be a path to the program
  std::vector<std::string> env;       // the whole environment, "KEY=value"
  std::filesystem::path cwd;
  std::filesystem::path stdout_file;  // created or truncated
  std::filesystem::path stderr_file;
  std::chrono::milliseconds timeout{300'000};
  bool no_aslr = true;                // what `setarch -R` does, without another exec
};

struct ProcessResult {
  enum class Outcome { exited, signalled, timed_out };
  Outcome outcome = Outcome::exited;
  int exit_code = 0; // when exited
  int signal = 0;    // when signalled
  double seconds = 0;

  bool ok() const { return outcome == Outcome::exited && exit_code == 0; }
  std::string describe() const; // "exited with status 3", "killed by signal 11 (Segmentation fault)", ...
  ErrorKind failure_kind() const; // timeout, crash or exit_status; only meaningful when !ok()
};

// Starts the program in its own process group, waits for it, and on timeout kills the whole group.
// Throws Error when it cannot be started at all (not found, not executable).
ProcessResult run_process(const ProcessSpec& spec);

// The program `name` names: itself when it contains a '/', else the first executable of that name
// on PATH; `name` unchanged when there is none (starting it then reports it missing).
std::filesystem::path find_on_path(const std::string& name);

// On SIGINT/SIGTERM, kills the process groups still running, then dies of the same signal,
// so that an interrupted run leaves no Valgrind behind.
void install_interrupt_handler();

} // namespace cibench

#pragma once
// The one place ci-bench starts processes. No shell: argv is exec'd as given.
#include "util/error.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace cibench {

// The most processes run_process may have running at once (the interrupt handler tracks each);
// `--jobs` is capped at it.
inline constexpr unsigned kMaxConcurrentProcesses = 256;

// What is kept of each of a workload's stdout and stderr; the rest is read and thrown away, so a
// workload that writes gigabytes neither fills the disk nor blocks on a full pipe.
inline constexpr std::size_t kKeptOutputBytes = 4 << 20;

struct ProcessSpec {
  std::vector<std::string> argv;      // argv[0] must be a path to the program
  std::vector<std::string> env;       // the whole environment, "KEY=value"
  std::filesystem::path cwd;
  std::filesystem::path stdout_file;  // created or truncated; at most output_cap bytes and a note
  std::filesystem::path stderr_file;
  std::chrono::milliseconds timeout{300'000};
  bool no_aslr = true;                // what `setarch -R` does, without another exec
  std::size_t output_cap = kKeptOutputBytes;
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

// Starts the program in its own process group, drains its stdout and stderr into the files, waits
// for it, and then kills what is left of its group and every other orphan handed to the driver
// (see become_subreaper). Throws Error(launch) when it cannot be started at all (not found, not
// executable), and Error(interrupted) when the run was interrupted, before starting or because the
// interrupt killed the process.
ProcessResult run_process(const ProcessSpec& spec);

// The program `name` names: itself when it contains a '/', else the first executable of that name
// on PATH; `name` unchanged when there is none (starting it then reports it missing).
std::filesystem::path find_on_path(const std::string& name);

// On SIGINT, SIGTERM or SIGHUP: kills the process groups still running and records the signal, so
// that the run can finish its bookkeeping (sandboxes removed, results.json written) and exit with
// 128 + the signal. The handler is then reset: a second signal ends the driver at once.
void install_interrupt_handler();

// The signal that interrupted the run, 0 if none.
int interrupt_signal();
// Whether a signal interrupted the run: what a wait (DirectoryLock) asks to know when to give up.
bool interrupted();

// Makes the driver the reaper of its descendants' orphans, so that a workload's child that escapes
// its process group (setsid) becomes the driver's child, which run_process then kills.
void become_subreaper();

} // namespace cibench

#include "exec/process.hpp"

#include "exec/children.hpp"
#include "exec/output_capture.hpp"
#include "util/error.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cibench {
namespace {

std::atomic<int> g_interrupt{0};
static_assert(std::atomic<int>::is_always_lock_free);

constexpr int kInterruptSignals[] = {SIGINT, SIGTERM, SIGHUP};

// Only async-signal-safe work: kill the running groups, note the signal, and give the next signal
// its default action. Not re-raised: the threads unwind, sandboxes are removed, results are written.
extern "C" void on_interrupt(int sig) {
  int none = 0;
  g_interrupt.compare_exchange_strong(none, sig);
  children::kill_tracked_groups();
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s : kInterruptSignals) ::sigaction(s, &dfl, nullptr);
}

std::string signal_name(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", sig);
}

std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

bool move_fd(int fd, int target) {
  if (fd == target) return ::fcntl(fd, F_SETFD, 0) == 0; // dup2 would leave close-on-exec set
  return ::dup2(fd, target) >= 0;
}

// Runs in the forked child: only async-signal-safe calls. Reports errno through `report_fd`.
[[noreturn]] void exec_child(const ProcessSpec& spec, char* const* argv, char* const* envp, int out, int err,
                             int report_fd, pid_t parent) {
  // Dies with the driver even when the driver gets SIGKILL. The signal comes when the *thread* that
  // forked exits, not the process: run_process waits in that thread until the child is reaped, so
  // the thread always outlives it.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127); // the driver died before the line above
  ::setpgid(0, 0);
  if (spec.no_aslr) ::personality(ADDR_NO_RANDOMIZE);
  int in = ::open("/dev/null", O_RDONLY);
  if (in >= 0 && ::dup2(in, 0) >= 0 && move_fd(out, 1) && move_fd(err, 2) && ::chdir(spec.cwd.c_str()) == 0)
    ::execve(argv[0], argv, envp);
  int e = errno;
  (void)!::write(report_fd, &e, sizeof e);
  ::_exit(127);
}

// Drains both outputs while waiting for the child to exit or the deadline to pass; true if it exited.
bool wait_draining(int pidfd, OutputCapture& out, OutputCapture& err, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p[3] = {{pidfd, POLLIN, 0}, {out.read_end(), POLLIN, 0}, {err.read_end(), POLLIN, 0}};
    if (::poll(p, 3, static_cast<int>(std::min<long long>(left.count(), 60'000))) < 0) continue; // EINTR
    if (p[1].revents) out.drain();
    if (p[2].revents) err.drain();
    if (p[0].revents) return true;
  }
}

// After the child and its group are gone: what is left in the pipes. Everything that could still
// hold a write end has been killed, so the end of file comes at once; the grace is for a writer
// that escaped even the sweep.
void drain_rest(OutputCapture& out, OutputCapture& err) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while ((out.open() || err.open()) && std::chrono::steady_clock::now() < until) {
    pollfd p[2] = {{out.read_end(), POLLIN, 0}, {err.read_end(), POLLIN, 0}};
    if (::poll(p, 2, 100) < 0) continue;
    if (p[0].revents) out.drain();
    if (p[1].revents) err.drain();
  }
}

} // namespace

int interrupt_signal() { return g_interrupt.load(); }

bool interrupted() { return interrupt_signal() != 0; }

ErrorKind ProcessResult::failure_kind() const {
  switch (outcome) {
  case Outcome::timed_out: return ErrorKind::timeout;
  case Outcome::signalled: return ErrorKind::crash;
  case Outcome::exited: break;
  }
  return ErrorKind::exit_status;
}

std::filesystem::path find_on_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    auto colon = dirs.find(':');
    std::filesystem::path candidate = std::filesystem::path(dirs.substr(0, colon)) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
  }
  return name;
}

std::string ProcessResult::describe() const {
  switch (outcome) {
  case Outcome::exited: return fmt::format("exited with status {}", exit_code);
  case Outcome::signalled: return fmt::format("killed by signal {} ({})", signal, ::strsignal(signal));
  case Outcome::timed_out: return fmt::format("timed out after {:.1f} s and was killed", seconds);
  }
  return "?";
}

ProcessResult run_process(const ProcessSpec& spec) {
  if (spec.argv.empty()) throw Error(ErrorKind::internal, "run_process: empty argv");
  if (int sig = interrupt_signal())
    throw Error(ErrorKind::interrupted, fmt::format("not started: the run was interrupted by {}", signal_name(sig)));
  auto argv = c_strings(spec.argv);
  auto envp = c_strings(spec.env);
  OutputCapture out(spec.stdout_file, spec.output_cap), err(spec.stderr_file, spec.output_cap);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) throw Error(ErrorKind::launch, fmt::format("pipe: {}", std::strerror(errno)));

  const auto start = std::chrono::steady_clock::now();
  const pid_t parent = ::getpid();
  pid_t pid;
  {
    children::TrackedFork tracked;
    pid = ::fork();
    if (pid == 0) exec_child(spec, argv.data(), envp.data(), out.write_end(), err.write_end(), report[1], parent);
    if (pid < 0) {
      ::close(report[0]), ::close(report[1]);
      throw Error(ErrorKind::launch, fmt::format("fork: {}", std::strerror(errno)));
    }
    ::setpgid(pid, pid); // also in the parent, so the group exists before we might kill it
    tracked.started(pid);
  }
  if (interrupt_signal()) ::kill(-pid, SIGKILL); // the handler ran before the group was tracked
  ::close(report[1]);
  out.close_write_end();
  err.close_write_end();
  int exec_errno = 0;
  ssize_t n;
  while ((n = ::read(report[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {}
  ::close(report[0]);
  if (n == sizeof exec_errno) {
    children::reap(pid);
    throw Error(ErrorKind::launch, fmt::format("cannot start {}: {}", spec.argv[0], std::strerror(exec_errno)));
  }

  ProcessResult r;
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    ::kill(-pid, SIGKILL);
    children::reap(pid);
    throw Error(ErrorKind::launch, fmt::format("pidfd_open: {}", std::strerror(errno)));
  }
  if (!wait_draining(pidfd, out, err, start + spec.timeout)) r.outcome = ProcessResult::Outcome::timed_out;
  ::close(pidfd);
  // Before reaping the leader (so its id cannot be reused yet): nothing of the group outlives it.
  ::kill(-pid, SIGKILL);
  const int status = children::reap(pid);
  children::sweep_orphans(); // whatever escaped the group and was handed to the driver
  drain_rest(out, err);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (r.outcome != ProcessResult::Outcome::timed_out) {
    if (WIFSIGNALED(status)) {
      r.outcome = ProcessResult::Outcome::signalled;
      r.signal = WTERMSIG(status);
    } else {
      r.exit_code = WEXITSTATUS(status);
    }
  }
  out.finish();
  err.finish();
  if (int sig = interrupt_signal(); sig && r.outcome == ProcessResult::Outcome::signalled && r.signal == SIGKILL)
    throw Error(ErrorKind::interrupted, fmt::format("interrupted by {}: the process was killed", signal_name(sig)));
  return r;
}

void install_interrupt_handler() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sa.sa_flags = SA_RESTART; // other threads' reads and writes carry on; poll() still wakes with EINTR
  sigemptyset(&sa.sa_mask);
  for (int s : kInterruptSignals) sigaddset(&sa.sa_mask, s);
  for (int s : kInterruptSignals) ::sigaction(s, &sa, nullptr);
}

void become_subreaper() { ::prctl(PR_SET_CHILD_SUBREAPER, 1); }

} // namespace cibench

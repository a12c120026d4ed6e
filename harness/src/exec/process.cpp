#include "exec/process.hpp"

#include "util/error.hpp"

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cibench {
namespace {

// Process groups alive now, for the interrupt handler (which may only touch lock-free atomics).
std::array<std::atomic<pid_t>, kMaxConcurrentProcesses> g_live_groups{};

void remember_group(pid_t pgid) {
  for (auto& slot : g_live_groups) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pgid)) return;
  }
}
void forget_group(pid_t pgid) {
  for (auto& slot : g_live_groups) {
    pid_t expected = pgid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

extern "C" void on_interrupt(int sig) {
  for (auto& slot : g_live_groups)
    if (pid_t g = slot.load(); g > 0) ::kill(-g, SIGKILL);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Runs in the forked child: only async-signal-safe calls. Reports errno through `report_fd`.
[[noreturn]] void exec_child(const ProcessSpec& spec, char* const* argv, char* const* envp, int report_fd) {
  ::setpgid(0, 0);
  if (spec.no_aslr) ::personality(ADDR_NO_RANDOMIZE);
  int in = ::open("/dev/null", O_RDONLY);
  int out = ::open(spec.stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err = ::open(spec.stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in >= 0 && out >= 0 && err >= 0 && ::dup2(in, 0) >= 0 && ::dup2(out, 1) >= 0 && ::dup2(err, 2) >= 0 &&
      ::chdir(spec.cwd.c_str()) == 0)
    ::execve(argv[0], argv, envp);
  int e = errno;
  (void)!::write(report_fd, &e, sizeof e);
  ::_exit(127);
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  return status;
}

} // namespace

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
  auto argv = c_strings(spec.argv);
  auto envp = c_strings(spec.env);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) throw Error(ErrorKind::launch, fmt::format("pipe: {}", std::strerror(errno)));

  const auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid < 0) throw Error(ErrorKind::launch, fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) exec_child(spec, argv.data(), envp.data(), report[1]);
  ::setpgid(pid, pid); // also in the parent, so the group exists before we might kill it
  remember_group(pid);
  ::close(report[1]);
  int exec_errno = 0;
  ssize_t n;
  while ((n = ::read(report[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {}
  ::close(report[0]);
  if (n == sizeof exec_errno) {
    wait_for(pid);
    forget_group(pid);
    throw Error(ErrorKind::launch, fmt::format("cannot start {}: {}", spec.argv[0], std::strerror(exec_errno)));
  }

  ProcessResult r;
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) throw Error(ErrorKind::launch, fmt::format("pidfd_open: {}", std::strerror(errno)));
  pollfd p{pidfd, POLLIN, 0};
  int ready;
  while ((ready = ::poll(&p, 1, static_cast<int>(spec.timeout.count()))) < 0 && errno == EINTR) {}
  ::close(pidfd);
  if (ready == 0) r.outcome = ProcessResult::Outcome::timed_out;
  // Before reaping the leader (so its id cannot be reused yet): nothing of the group outlives it.
  ::kill(-pid, SIGKILL);
  const int status = wait_for(pid);
  forget_group(pid);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (r.outcome == ProcessResult::Outcome::timed_out) return r;
  if (WIFSIGNALED(status)) {
    r.outcome = ProcessResult::Outcome::signalled;
    r.signal = WTERMSIG(status);
  } else {
    r.exit_code = WEXITSTATUS(status);
  }
  return r;
}

void install_interrupt_handler() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

} // namespace cibench

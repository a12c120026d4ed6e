#include "exec/children.hpp"

#include "exec/process.hpp"
#include "util/error.hpp"

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace cibench::children {
namespace {

// Tracked pids (each the leader of its own group). The interrupt handler reads them, so they are
// lock-free atomics: 0 free, -1 claimed by a fork under way, > 0 a tracked child.
static_assert(std::atomic<pid_t>::is_always_lock_free);
std::array<std::atomic<pid_t>, kMaxConcurrentProcesses> g_slots{};

// Forks (with tracking) against sweeps: a sweep sees every child of the driver already tracked.
std::mutex g_fork_or_sweep;

bool tracked(pid_t pid) {
  for (auto& slot : g_slots)
    if (slot.load() == pid) return true;
  return false;
}

// The processes whose parent is `parent`, from /proc/PID/stat ("PID (COMM) STATE PPID ...", COMM
// may hold spaces and parentheses, so the fields are read after the last ')').
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> found;
  std::error_code ec;
  for (auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string line;
    if (!std::getline(in, line)) continue; // gone meanwhile
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    long ppid = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %ld", &state, &ppid) == 2 && ppid == parent)
      found.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return found;
}

void wait_quietly(pid_t pid) {
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {}
}

} // namespace

TrackedFork::TrackedFork() {
  g_fork_or_sweep.lock();
  for (slot_ = 0; slot_ < static_cast<int>(g_slots.size()); ++slot_) {
    pid_t free = 0;
    if (g_slots[slot_].compare_exchange_strong(free, -1)) return;
  }
  g_fork_or_sweep.unlock();
  throw Error(ErrorKind::internal, "more processes at once than run_process can track");
}

TrackedFork::~TrackedFork() {
  if (!started_) g_slots[slot_].store(0);
  g_fork_or_sweep.unlock();
}

void TrackedFork::started(pid_t pid) {
  g_slots[slot_].store(pid);
  started_ = true;
}

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  // Only now: until it is reaped, the pid is still this process's child and a sweep must skip it.
  // Another fork may already have been given the same pid; it holds a slot of its own.
  for (auto& slot : g_slots) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) break;
  }
  return status;
}

void sweep_orphans() {
  std::lock_guard lock(g_fork_or_sweep);
  const pid_t self = ::getpid();
  // Each round kills the orphans found; their own children are handed to the driver as they die
  // (before waitpid returns), so the next round finds them. A round that finds none ends it.
  for (int round = 0; round < 1000; ++round) {
    std::vector<pid_t> orphans;
    for (pid_t pid : children_of(self))
      if (!tracked(pid)) orphans.push_back(pid);
    if (orphans.empty()) return;
    for (pid_t pid : orphans) ::kill(pid, SIGKILL);
    for (pid_t pid : orphans) wait_quietly(pid);
  }
}

void kill_tracked_groups() {
  for (auto& slot : g_slots)
    if (pid_t group = slot.load(); group > 0) ::kill(-group, SIGKILL);
}

} // namespace cibench::children

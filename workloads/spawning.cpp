// Process spawning, sequential against parallel, for 1, 3 and 5 "agent" processes (this same
// program with --agent, which builds one agent's output and exits).
//
// Gated by wall-clock mode only (wall_clock_only in ci-bench.toml): instruction counts measure
// work, and parallel spawning does the same work as sequential, only overlapped; and under
// Cachegrind each child would need --trace-children, one more Valgrind start-up per child.
#include "consensus_data.hpp"

#include <cibench/workload.hpp>

#include <climits>
#include <fcntl.h>
#include <cstdio>
#include <spawn.h>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

std::string self_path() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n < 0) {
    std::perror("readlink /proc/self/exe");
    std::exit(1);
  }
  return std::string(buf, static_cast<size_t>(n));
}

pid_t spawn_agent(const std::string& self, posix_spawn_file_actions_t* quiet) {
  char agent_flag[] = "--agent";
  char* argv[] = {const_cast<char*>(self.c_str()), agent_flag, nullptr};
  pid_t pid;
  if (posix_spawn(&pid, self.c_str(), quiet, nullptr, argv, environ) != 0) {
    std::perror("posix_spawn");
    std::exit(1);
  }
  return pid;
}

void wait_ok(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "agent %d failed\n", pid);
    std::exit(1);
  }
}

struct Spawner {
  std::string self = self_path();
  posix_spawn_file_actions_t quiet;
  Spawner() {
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
  }
  ~Spawner() { posix_spawn_file_actions_destroy(&quiet); }
};

} // namespace

CIBENCH_BENCHMARK_FAMILY("spawn.sequential", bench, 1, 3, 5) {
  Spawner s;
  bench.measure([&] {
    for (long i = 0; i < bench.arg(); ++i) wait_ok(spawn_agent(s.self, &s.quiet));
  });
}

CIBENCH_BENCHMARK_FAMILY("spawn.parallel", bench, 1, 3, 5) {
  Spawner s;
  bench.measure([&] {
    std::vector<pid_t> agents;
    for (long i = 0; i < bench.arg(); ++i) agents.push_back(spawn_agent(s.self, &s.quiet));
    for (pid_t pid : agents) wait_ok(pid);
  });
}

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "--agent") {
    std::puts(workloads::agent_output(0, 1).c_str());
    return 0;
  }
  return cibench::detail::workload_main(argc, argv);
}

#pragma once
// The workload header's --serve mode (included by <cibench/workload.hpp>, not on its own): one
// Valgrind start for many benchmarks. ci-bench's side is harness/src/measure/serve_run.hpp.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

extern "C" char** environ; // POSIX: declared by no header without _GNU_SOURCE

namespace cibench::detail {

// --serve REQUESTS: one Valgrind start for many benchmarks. After the program's own start-up, reads
// REQUESTS one fixed-size record at a time ("NAME\0FOLDER\0TIMEOUT_SECONDS\0OUTPUT\0", zero-padded
// to kServeRecordBytes) and forks a child per record: the child sends its output to OUTPUT.stdout
// and OUTPUT.stderr, moves into FOLDER, and runs the benchmark as --run would; the parent waits for
// it, killing it after TIMEOUT_SECONDS, and writes "PID WAIT_STATUS TIMED_OUT NANOSECONDS\n" to the
// file REQUESTS.report (TIMED_OUT 1 when it killed it), not to stdout, which stays the program's.
// With threads already running it writes "threads\n" only.
// The parent touches no heap and no stdio between forks and runs the same instructions for every
// record, whatever its content: a child starts from the same state whichever benchmarks ran before.
// The child leaves no trace of the loop: the two files closed, SIGALRM's default back, and $PWD
// (which Valgrind sets to the folder it started in, as long as every FOLDER) naming FOLDER.
inline constexpr size_t kServeRecordBytes = 4096;
inline char serve_record[kServeRecordBytes];
inline volatile pid_t serve_child = 0;
inline volatile sig_atomic_t serve_timed_out = 0;

inline void serve_alarm(int) {
  if (serve_child <= 0) return;
  serve_timed_out = 1;
  kill(serve_child, SIGKILL);
}

// A decimal number without stdio (the parent must not touch its buffers).
inline size_t serve_format(char* out, unsigned long value) {
  char digits[24];
  size_t n = 0;
  do digits[n++] = static_cast<char>('0' + value % 10); while ((value /= 10) != 0);
  for (size_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  return n;
}

// Threads already running would not exist in a forked child: say so, and ci-bench measures one
// process per benchmark instead.
inline bool serve_single_threaded() {
  const int fd = open("/proc/self/status", O_RDONLY);
  if (fd < 0) return false;
  static char status[8192];
  const ssize_t n = read(fd, status, sizeof status - 1);
  close(fd);
  if (n <= 0) return false;
  status[n] = '\0';
  const char* threads = std::strstr(status, "\nThreads:");
  return threads && std::strtol(threads + 9, nullptr, 10) == 1;
}

// $PWD overwritten in place (no heap): ci-bench starts the program in a folder whose path is as
// long as every child's.
inline void serve_set_pwd(const char* folder) {
  for (char** e = environ; e && *e; ++e)
    if (std::strncmp(*e, "PWD=", 4) == 0 && std::strlen(*e + 4) == std::strlen(folder)) std::memcpy(*e + 4, folder, std::strlen(folder));
}

[[noreturn]] inline void serve_child_main(const char* program, int requests, int report) {
  close(requests);
  close(report);
  struct sigaction default_alarm {};
  default_alarm.sa_handler = SIG_DFL;
  sigaction(SIGALRM, &default_alarm, nullptr);
  const char* name = serve_record;
  const char* folder = name + std::strlen(name) + 1;
  const char* timeout = folder + std::strlen(folder) + 1;
  serve_set_pwd(folder);
  static char output[kServeRecordBytes + 8]; // OUTPUT.stdout, OUTPUT.stderr: outside the child's sandbox
  const char* output_prefix = timeout + std::strlen(timeout) + 1;
  const size_t length = std::strlen(output_prefix);
  std::memcpy(output, output_prefix, length);
  std::memcpy(output + length, ".stdout", 8);
  const int out = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  std::memcpy(output + length, ".stderr", 8);
  const int err = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(122);
  close(out);
  close(err);
  if (chdir(folder) != 0) _exit(121);
  const Entry* entry = nullptr;
  for (auto& e : registry())
    if (e.name == name) entry = &e;
  if (!entry) {
    std::fprintf(stderr, "%s: no benchmark named '%s' (see --list)\n", program, name);
    std::exit(2);
  }
  Bench bench(Bench::Mode::run, entry->arg);
  call_page_aligned(entry->fn, bench);
  if (bench.measure_calls() != 1) {
    std::fprintf(stderr, "%s: benchmark '%s' called measure() %d times; call it exactly once\n", program,
                 entry->name.c_str(), bench.measure_calls());
    std::exit(3);
  }
  std::exit(0);
}

[[gnu::noinline]] inline int serve_main(char** argv) {
  static char report_path[kServeRecordBytes];
  const size_t length = std::strlen(argv[2]);
  if (length + 8 > sizeof report_path) return 2;
  std::memcpy(report_path, argv[2], length);
  std::memcpy(report_path + length, ".report", 8);
  const int report = open(report_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (report < 0) return 2;
  if (!serve_single_threaded()) {
    static const char refusal[] = "threads\n";
    return write(report, refusal, sizeof refusal - 1) < 0 ? 5 : 0;
  }
  const int requests = open(argv[2], O_RDONLY | O_CLOEXEC);
  if (requests < 0) return 2;
  struct sigaction on_alarm {};
  on_alarm.sa_handler = serve_alarm;
  sigaction(SIGALRM, &on_alarm, nullptr);
  static char line[64];
  while (read(requests, serve_record, kServeRecordBytes) == static_cast<ssize_t>(kServeRecordBytes)) {
    timespec start{};
    clock_gettime(CLOCK_MONOTONIC, &start);
    const pid_t child = fork();
    if (child < 0) return 6;
    if (child == 0) serve_child_main(argv[0], requests, report);
    serve_child = child;
    serve_timed_out = 0;
    const char* name = serve_record;
    const char* folder = name + std::strlen(name) + 1;
    alarm(static_cast<unsigned>(std::strtoul(folder + std::strlen(folder) + 1, nullptr, 10)));
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
    }
    alarm(0);
    serve_child = 0;
    timespec end{};
    clock_gettime(CLOCK_MONOTONIC, &end);
    const long long nanos = (end.tv_sec - start.tv_sec) * 1'000'000'000LL + (end.tv_nsec - start.tv_nsec);
    size_t n = serve_format(line, static_cast<unsigned long>(child));
    line[n++] = ' ';
    n += serve_format(line + n, static_cast<unsigned long>(status));
    line[n++] = ' ';
    line[n++] = serve_timed_out ? '1' : '0';
    line[n++] = ' ';
    n += serve_format(line + n, static_cast<unsigned long>(nanos > 0 ? nanos : 0));
    line[n++] = '\n';
    if (write(report, line, n) != static_cast<ssize_t>(n)) return 5;
  }
  return 0;
}

} // namespace cibench::detail

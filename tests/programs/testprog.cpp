// A plain program for the tests, one behaviour per mode:
//   loop N   N iterations of a fixed amount of work, so N*1.01 costs 1 % more
//   crash    dies of SIGSEGV        fail   writes to stderr, exits 3
//   hang     sleeps, with a child of its own in the same process group
//   env      prints its environment  cwd    prints its working directory
//   clock    a loop whose length depends on the clock's nanoseconds: counts that never repeat
//   sleep MS sleeps MS milliseconds: a run whose seconds the clock's noise cannot halve
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <unistd.h>

extern char** environ;

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (!std::strcmp(mode, "loop") && argc == 3) {
    volatile unsigned long acc = 0;
    const long n = std::atol(argv[2]);
    for (long i = 0; i < n; ++i) acc = acc * 31 + static_cast<unsigned long>(i);
    std::printf("%lu\n", acc);
    return 0;
  }
  if (!std::strcmp(mode, "clock")) {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    volatile unsigned long acc = 0;
    for (long i = 0; i < 1000 + now.tv_nsec % 997; ++i) acc = acc + static_cast<unsigned long>(i);
    return 0;
  }
  if (!std::strcmp(mode, "sleep") && argc == 3) {
    usleep(static_cast<useconds_t>(std::atol(argv[2]) * 1000));
    return 0;
  }
  if (!std::strcmp(mode, "crash")) {
    volatile int* p = nullptr;
    *p = 1;
  }
  if (!std::strcmp(mode, "fail")) {
    std::fprintf(stderr, "testprog: something went wrong: disk full\n");
    return 3;
  }
  if (!std::strcmp(mode, "hang")) {
    if (fork() == 0) { // the grandchild must be killed with the group
      std::printf("%d\n", getpid());
      std::fflush(stdout);
    }
    sleep(1000);
    return 0;
  }
  if (!std::strcmp(mode, "env")) {
    for (char** e = environ; *e; ++e) std::printf("%s\n", *e);
    return 0;
  }
  if (!std::strcmp(mode, "cwd")) {
    char buf[4096];
    std::printf("%s\n", getcwd(buf, sizeof buf));
    return 0;
  }
  std::fprintf(stderr, "usage: testprog loop N | clock | crash | fail | hang | env | cwd\n");
  return 2;
}

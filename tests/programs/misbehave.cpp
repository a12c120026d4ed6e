// A program that misbehaves in the ways the driver must contain, one per mode:
//   --list        hangs, as a suite whose listing never ends
//   escape FILE   forks a child that leaves the process group (setsid), prints the child's pid and
//                 exits; the child creates FILE two seconds later, unless it is killed first
//   flood BYTES   writes BYTES bytes to stdout, then exits 0
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (!std::strcmp(mode, "--list")) {
    for (;;) pause();
  }
  if (!std::strcmp(mode, "escape") && argc == 3) {
    int ready[2];
    if (pipe(ready) != 0) return 1;
    const pid_t child = fork();
    if (child == 0) {
      setsid(); // out of the group the driver kills
      (void)!write(ready[1], "x", 1);
      sleep(2);
      const int fd = open(argv[2], O_WRONLY | O_CREAT, 0644);
      return fd >= 0 ? 0 : 1;
    }
    char x;
    (void)!read(ready[0], &x, 1); // only once the child has left the group
    std::printf("%d\n", child);
    return 0;
  }
  if (!std::strcmp(mode, "flood") && argc == 3) {
    static char block[65536];
    std::memset(block, 'x', sizeof block);
    block[sizeof block - 1] = '\n';
    for (long long left = std::atoll(argv[2]); left > 0; left -= static_cast<long long>(sizeof block))
      if (std::fwrite(block, 1, left < static_cast<long long>(sizeof block) ? left : sizeof block, stdout) == 0) return 1;
    return 0;
  }
  std::fprintf(stderr, "usage: misbehave --list | escape FILE | flood BYTES\n");
  return 2;
}

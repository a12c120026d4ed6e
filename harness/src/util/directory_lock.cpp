#include "util/directory_lock.hpp"

#include "util/error.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace cibench {
namespace {

// How often a waiting run tries the lock again and looks at `stop`: short enough that Ctrl-C feels
// immediate, long enough to cost nothing. A blocking flock() cannot be used: the interrupt handler
// is installed with SA_RESTART, so the kernel would restart it and the signal would go unheeded.
constexpr auto kRetryEvery = std::chrono::milliseconds(50);

} // namespace

DirectoryLock::DirectoryLock(const std::filesystem::path& dir, const std::string& what, bool (*stop)()) {
  fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) throw Error(ErrorKind::io, fmt::format("cannot open {} {}: {}", what, dir.string(), std::strerror(errno)));
  for (bool said = false;; said = true) {
    const bool locked = ::flock(fd_, LOCK_EX | LOCK_NB) == 0;
    const int e = errno;
    // Asked after every try, the one that succeeds too: a run stopped while it waited must not go
    // on to write into the folder the other run has just finished with (closing releases the lock).
    if (stop()) {
      ::close(fd_);
      throw Error(ErrorKind::interrupted, fmt::format("interrupted while waiting for the {} {}", what, dir.string()));
    }
    if (locked) return;
    if (e != EWOULDBLOCK && e != EINTR) {
      ::close(fd_);
      throw Error(ErrorKind::io, fmt::format("cannot lock {} {}: {}", what, dir.string(), std::strerror(e)));
    }
    if (!said) fmt::print(stderr, "ci-bench: waiting for another ci-bench run that is using the {} {}\n", what, dir.string());
    std::this_thread::sleep_for(kRetryEvery);
  }
}

DirectoryLock::~DirectoryLock() { ::close(fd_); }

} // namespace cibench

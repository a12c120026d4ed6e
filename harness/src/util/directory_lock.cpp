#include "directory_lock.hpp"

#include "error.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

namespace cibench {

DirectoryLock::DirectoryLock(const std::filesystem::path& dir, const std::string& what, bool (*stop)()) {
  fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) throw Error(ErrorKind::io, fmt::format("cannot open {} {}: {}", what, dir.string(), std::strerror(errno)));
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  fmt::print(stderr, "ci-bench: waiting for another ci-bench run that is using the {} {}\n", what, dir.string());
  while (::flock(fd_, LOCK_EX) != 0) {
    const int e = errno;
    if (e == EINTR && !(stop && stop())) continue;
    ::close(fd_);
    if (e == EINTR) throw Error(ErrorKind::interrupted, fmt::format("interrupted while waiting for the {} {}", what, dir.string()));
    throw Error(ErrorKind::io, fmt::format("cannot lock {} {}: {}", what, dir.string(), std::strerror(e)));
  }
}

DirectoryLock::~DirectoryLock() { ::close(fd_); }

} // namespace cibench

#include "atomic_file.hpp"

#include "error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <fmt/format.h>
#include <unistd.h>

namespace cibench {
namespace fs = std::filesystem;

void write_file_atomically(const fs::path& path, std::string_view content) {
  std::string tmpl = (path.parent_path() / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  const auto fail = [&](const char* step) {
    int e = errno;
    ::close(fd);
    ::unlink(tmpl.c_str());
    throw Error(ErrorKind::io, fmt::format("cannot write {} ({}): {}", path.string(), step, std::strerror(e)));
  };
  for (size_t done = 0; done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write");
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd, 0644) != 0) fail("chmod");
  if (::fsync(fd) != 0) fail("fsync");
  if (::close(fd) != 0) {
    ::unlink(tmpl.c_str());
    throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  }
  if (std::rename(tmpl.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmpl.c_str());
    throw Error(ErrorKind::io, fmt::format("cannot replace {}: {}", path.string(), std::strerror(e)));
  }
}

} // namespace cibench

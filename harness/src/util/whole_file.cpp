#include "util/whole_file.hpp"

#include "util/sha256.hpp"

#include <cerrno>
#include <fcntl.h>
#include <functional>
#include <unistd.h>

namespace cibench {
namespace {

// Calls `take` with each block of the file; false when it cannot be opened or read.
bool read_blocks(const std::filesystem::path& file, const std::function<void(const char*, size_t)>& take) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  char buffer[1 << 16];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      ::close(fd);
      errno = e;
      return false;
    }
    take(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return true;
}

} // namespace

std::optional<std::string> read_whole_file(const std::filesystem::path& file) {
  std::string bytes;
  if (!read_blocks(file, [&](const char* p, size_t n) { bytes.append(p, n); })) return std::nullopt;
  return bytes;
}

std::optional<std::string> file_sha256(const std::filesystem::path& file) {
  Sha256 hash;
  if (!read_blocks(file, [&](const char* p, size_t n) { hash.add(p, n); })) return std::nullopt;
  return hash.hex();
}

} // namespace cibench

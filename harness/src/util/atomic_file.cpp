#include "util/atomic_file.hpp"

#include "util/error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace cibench {
namespace fs = std::filesystem;

StagedFile::StagedFile(fs::path path, std::string_view content) : path_(std::move(path)) {
  std::string tmpl = (path_.parent_path() / ("." + path_.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno)));
  const auto fail = [&](const char* step) {
    int e = errno;
    ::close(fd);
    ::unlink(tmpl.c_str());
    throw Error(ErrorKind::io, fmt::format("cannot write {} ({}): {}", path_.string(), step, std::strerror(e)));
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
    throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno)));
  }
  temporary_ = tmpl;
}

StagedFile::StagedFile(StagedFile&& other) noexcept
    : path_(std::move(other.path_)), temporary_(std::exchange(other.temporary_, {})) {}

StagedFile::~StagedFile() {
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

void StagedFile::commit() {
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0)
    throw Error(ErrorKind::io, fmt::format("cannot replace {}: {}", path_.string(), std::strerror(errno)));
  temporary_.clear();
}

void StagedFile::commit_new() {
  if (::link(temporary_.c_str(), path_.c_str()) != 0)
    throw Error(ErrorKind::io, fmt::format("cannot create {}: {}", path_.string(), std::strerror(errno)));
  ::unlink(temporary_.c_str());
  temporary_.clear();
}

void write_file_atomically(const fs::path& path, std::string_view content) { StagedFile(path, content).commit(); }

} // namespace cibench

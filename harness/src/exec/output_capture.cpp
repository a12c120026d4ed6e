#include "exec/output_capture.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

namespace cibench {

OutputCapture::OutputCapture(std::filesystem::path file, std::size_t cap) : path_(std::move(file)), cap_(cap) {
  file_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (file_ < 0) throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", path_.string(), std::strerror(errno)));
  // Close-on-exec on both ends: another thread's child must not inherit this pipe, or the end of
  // file would wait for that child too. The child's dup2 onto 1 or 2 drops the flag.
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    ::close(file_);
    throw Error(ErrorKind::io, fmt::format("pipe: {}", std::strerror(errno)));
  }
  read_end_ = fds[0], write_end_ = fds[1];
  ::fcntl(read_end_, F_SETFL, O_NONBLOCK);
  ::fcntl(read_end_, F_SETPIPE_SZ, 1 << 20); // fewer wake-ups for a chatty workload; a hint only
}

OutputCapture::~OutputCapture() {
  for (int fd : {file_, read_end_, write_end_})
    if (fd >= 0) ::close(fd);
}

void OutputCapture::close_write_end() {
  ::close(write_end_);
  write_end_ = -1;
}

void OutputCapture::drain() {
  char buffer[65536];
  for (int chunk = 0; chunk < 64 && open(); ++chunk) {
    const ssize_t n = ::read(read_end_, buffer, sizeof buffer);
    if (n > 0) keep(buffer, static_cast<std::size_t>(n));
    else if (n == 0 || (errno != EINTR && errno != EAGAIN)) at_end_ = true;
    else if (errno == EAGAIN) return;
  }
}

void OutputCapture::keep(const char* data, std::size_t n) {
  const std::size_t room = write_errno_ ? 0 : cap_ - std::min(cap_, kept_);
  std::size_t written = 0;
  while (written < std::min(n, room)) {
    const ssize_t w = ::write(file_, data + written, std::min(n, room) - written);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      write_errno_ = errno;
      break;
    }
    written += static_cast<std::size_t>(w);
  }
  kept_ += written;
  dropped_ += n - written;
}

namespace {
std::string cut_note(std::size_t kept, std::size_t dropped) {
  return fmt::format("\n[ci-bench: output cut after {} bytes; {} more bytes were discarded]\n", kept, dropped);
}
} // namespace

void cut_output_file(const std::filesystem::path& file, std::size_t cap) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size <= cap) return;
  std::filesystem::resize_file(file, cap, ec);
  std::ofstream out(file, std::ios::app | std::ios::binary);
  if (ec || !(out << cut_note(cap, size - cap)))
    throw Error(ErrorKind::io, fmt::format("cannot cut {} to {} bytes", file.string(), cap));
}

void OutputCapture::finish() {
  if (dropped_ > 0 && !write_errno_) {
    const std::string note = cut_note(kept_, dropped_);
    if (::write(file_, note.data(), note.size()) < 0) write_errno_ = errno;
  }
  ::close(file_);
  file_ = -1;
  if (write_errno_)
    throw Error(ErrorKind::io, fmt::format("cannot write {}: {}", path_.string(), std::strerror(write_errno_)));
}

} // namespace cibench

#pragma once
// One of a child's output streams, read from a pipe into a file: the first `cap` bytes are kept,
// the rest is read and thrown away (so the child never blocks on a full pipe), and a note at the
// end of the file says how much was cut.
#include <cstddef>
#include <filesystem>

namespace cibench {

class OutputCapture {
public:
  // Creates (or truncates) the file and a pipe whose write end the child gets; throws Error(io).
  OutputCapture(std::filesystem::path file, std::size_t cap);
  ~OutputCapture();
  OutputCapture(const OutputCapture&) = delete;
  OutputCapture& operator=(const OutputCapture&) = delete;

  int write_end() const { return write_end_; }
  int read_end() const { return open() ? read_end_ : -1; } // -1 once at end of file: poll skips it
  bool open() const { return read_end_ >= 0 && !at_end_; }

  void close_write_end(); // in the parent, once the child has its copy
  // Reads what the pipe holds now (a bounded amount, so a fast writer cannot starve the caller).
  void drain();
  // Appends the note when anything was cut and closes the file; throws Error(io) if writing failed.
  void finish();

private:
  void keep(const char* data, std::size_t n);

  std::filesystem::path path_;
  std::size_t cap_;
  int file_ = -1, read_end_ = -1, write_end_ = -1;
  bool at_end_ = false;
  std::size_t kept_ = 0, dropped_ = 0;
  int write_errno_ = 0;
};

// A file a process wrote itself (a served run's child): cut to its first `cap` bytes with the same
// note, after the fact. Throws Error(io) when it cannot be cut.
void cut_output_file(const std::filesystem::path& file, std::size_t cap);

} // namespace cibench

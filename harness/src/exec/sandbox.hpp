#pragma once
// A scratch directory for one workload run, at a path of fixed length (/tmp/.cibench-XXXXXX).
// Valgrind's client sees the program path and working directory; keeping their lengths the same
// in every checkout keeps the stack, and so the cache misses, the same.
#include <filesystem>

namespace cibench {

class Sandbox {
public:
  Sandbox();
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  // A link inside the sandbox to `program`, named "prog" so that every program path has the same
  // length wherever the checkout is. Throws Error naming `program` when it is missing or not executable.
  std::filesystem::path link_program(const std::filesystem::path& program) const;

private:
  std::filesystem::path dir_;
};

} // namespace cibench

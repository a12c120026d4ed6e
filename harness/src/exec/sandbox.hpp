#pragma once
// A scratch directory for one workload run, at a path of fixed length (/tmp/.cibench-XXXXXX).
// Valgrind's client sees the program path and working directory; keeping their lengths the same
// in every checkout keeps the stack, and so the cache misses, the same.
#include <filesystem>
#include <string>
#include <vector>

namespace cibench {

// The folder of a sandbox a suite's region runs in ("b0000"), served or not: a served run's
// program starts in its own sandbox's, each child moves into its own sandbox's, so every one of
// them sees a working folder (and a $PWD) of the same length.
std::filesystem::path work_folder();

class Sandbox {
public:
  Sandbox();
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  // A link inside the sandbox to `program`, named "prog" so that every program path has the same
  // length wherever the checkout is. Throws Error naming `program` when it is missing or not executable.
  // `build_hint` follows "build it first" (the config's reproduce command, or nothing).
  std::filesystem::path link_program(const std::filesystem::path& program, const std::string& build_hint = "") const;

  // Copies each input (a file or a folder) into the sandbox under its last name. Copies, not links:
  // a link's target (the checkout's path) is visible to a program that resolves it. Throws
  // Error(setup) naming the input that is missing and `where` it was declared. `folder`: a folder
  // of the sandbox to copy them into instead (a served run's child folder), created if missing.
  void copy_inputs(const std::vector<std::filesystem::path>& inputs, const std::string& where,
                   const std::filesystem::path& folder = {}) const;

private:
  std::filesystem::path dir_;
};

} // namespace cibench

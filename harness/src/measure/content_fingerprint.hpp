#pragma once
// A benchmark's content fingerprint: a hash of everything that decides its counts, so that a
// benchmark whose fingerprint equals its baseline's need not be measured again.
//
// In it: what the loader maps of the program and of every shared object it loads (code and data,
// not debug info: elf_loaded_content.hpp), in load order; the dynamic loader's cache
// (/etc/ld.so.cache, mapped into every process); the CPU features the host reports (Valgrind
// passes them on, and the C library picks its string functions by them); the Valgrind version and
// the whole command line of every run (tool, cache geometry, the workload's arguments, with the
// sandbox's paths, which never change the counts, left out); the workload's environment; the
// content of its declared `inputs`; and ci-bench's way of measuring (kMeasurementMethod).
// Not in it: libraries opened with dlopen() after start-up, and files read but not declared.
#include "measure/measure.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

// Raised whenever ci-bench changes how a run is set up (sandbox, environment, arguments), so
// that no baseline of the old way is reused.
inline constexpr const char* kMeasurementMethod = "ci-bench measurement 1";

class ContentFingerprints {
public:
  explicit ContentFingerprints(const MeasureContext& context);

  // The benchmark's fingerprint (SHA-256, hex), or "" when it cannot be known (a program the
  // loader cannot list, an unreadable file): such a benchmark is always measured.
  std::string of(const BenchmarkPlan& benchmark);

private:
  std::optional<std::string> file_digest(const std::filesystem::path& file);
  std::optional<std::vector<std::filesystem::path>> loaded_objects(const BenchmarkPlan& benchmark);

  const MeasureContext& context_;
  std::string host_;                                                   // the parts every benchmark shares
  std::map<std::filesystem::path, std::optional<std::string>> digests_; // by file, for this run
  std::map<std::string, std::optional<std::vector<std::filesystem::path>>> loaded_; // by program and environment
};

// The shared objects `program` loads at start-up, in load order, as its dynamic loader lists them
// (`INTERPRETER --list PROGRAM`: the loader maps them and stops, the program never runs), with the
// program first. Just the program for a static one; nullopt when the loader fails (a missing library).
std::optional<std::vector<std::filesystem::path>> list_loaded_objects(const std::filesystem::path& program,
                                                                      const std::vector<std::string>& env);

} // namespace cibench

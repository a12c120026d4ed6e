#pragma once
// A benchmark's content fingerprint: a hash of everything that decides its counts and is known
// before it runs, so that a benchmark whose fingerprint equals its baseline's, and whose run
// manifest (run_manifest.hpp: the files its process tree read, looked for or listed) is unchanged,
// need not be measured again.
//
// In it: ci-bench's way of measuring (kMeasurementMethod) and the driver's own code; the Valgrind
// version and the CPU Valgrind shows its client (not the host's: the client sees Valgrind's); what
// the loader maps of the program and of its dynamic loader (code and data, not debug info, which
// names the checkout's folder); the whole command line of every run; every setting of the
// benchmark that reaches a run; its environment; the content of its declared `inputs`, as the
// sandbox copies them. The shared objects it loads are in its manifest: the loader under
// Valgrind picks them, not the host's `ld.so --list`.
#include "measure/measure.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace cibench {

// Raised whenever ci-bench changes how a run is set up (sandbox, environment, arguments, trace),
// so that no baseline of the old way is reused, even by a driver built elsewhere from the same code.
inline constexpr const char* kMeasurementMethod = "ci-bench measurement 4";

class ContentFingerprints {
public:
  explicit ContentFingerprints(const MeasureContext& context);

  // The benchmark's fingerprint (SHA-256, hex), or "" when it cannot be known (an unreadable
  // program, Valgrind's CPU unknown): such a benchmark is always measured.
  std::string of(const BenchmarkPlan& benchmark);

private:
  std::optional<std::string> loaded_digest(const std::filesystem::path& file);
  const std::string& shared_part();

  const MeasureContext& context_;
  std::optional<std::string> shared_;                                    // what every benchmark shares
  std::map<std::filesystem::path, std::optional<std::string>> digests_; // by file, for this run
};

// "AMD64, LittleEndian, amd64-cx16-lzcnt-…-avx2-…": the CPU Valgrind presents to its client, as
// `valgrind -v` reports it; "" when it cannot be told.
std::string valgrind_guest_cpu(const Valgrind& valgrind);

} // namespace cibench

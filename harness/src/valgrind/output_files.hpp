#pragma once
// The one place that names the files a Valgrind run of a benchmark leaves in the --out folder.
#include <filesystem>
#include <string_view>
#include <vector>

namespace cibench {

// A suite benchmark under a tool that cannot isolate a region has two runs: the measured one and
// the calibration (everything but the body), which is subtracted.
// `heap = true` adds a third: the DHAT run (files NAME.heap.*), and for a suite benchmark whose
// body allocates a fourth, the DHAT run that finds the body's peak (NAME.heap-peak.*).
enum class RunRole { measured, calibration, heap, heap_peak };

struct RunFiles {
  std::filesystem::path profile;      // NAME.cachegrind.out, NAME.calibrate.cachegrind.out, NAME.callgrind.out
  std::filesystem::path valgrind_log; // Valgrind's own messages
  std::filesystem::path stdout_file;  // the workload's output
  std::filesystem::path stderr_file;
};

RunFiles run_files(const std::filesystem::path& out_dir, std::string_view benchmark_name, RunRole role,
                   std::string_view tool);

// The profile and the numbered parts a tool may add beside it (NAME.callgrind.out.1, .2, ...), sorted.
std::vector<std::filesystem::path> profile_parts(const std::filesystem::path& profile);

} // namespace cibench

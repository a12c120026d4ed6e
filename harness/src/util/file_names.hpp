#pragma once
// Benchmark names are not trusted as paths: every file ci-bench writes for a benchmark is named
// here, from a reversible escape of the name.
#include <filesystem>
#include <string>
#include <string_view>

namespace cibench {

// Keeps [A-Za-z0-9_.-] and %-escapes every other byte (and a leading '.'), so "store/1" becomes
// "store%2F1": distinct names give distinct files, and none can leave its folder.
std::string file_stem(std::string_view benchmark_name);

// The files of one Valgrind run of a benchmark in the --out folder. A suite benchmark has two
// runs: the measured one and the calibration (everything but the body), which is subtracted.
enum class RunRole { measured, calibration };

struct RunFiles {
  std::filesystem::path profile;      // NAME.cachegrind.out, NAME.calibrate.cachegrind.out, NAME.callgrind.out
  std::filesystem::path valgrind_log; // Valgrind's own messages
  std::filesystem::path stdout_file;  // the workload's output
  std::filesystem::path stderr_file;
};

RunFiles run_files(const std::filesystem::path& out_dir, std::string_view benchmark_name, RunRole role,
                   std::string_view tool = "cachegrind");

std::filesystem::path baseline_file(const std::filesystem::path& baseline_dir, std::string_view benchmark_name);

} // namespace cibench

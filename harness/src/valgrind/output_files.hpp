#pragma once
// The one place that names the files a Valgrind run of a benchmark leaves in the --out folder.
//
// Every name is the benchmark's file_stem, then what this run and process are, then the kind of
// file. The measured run's top process keeps the plain names (NAME.cachegrind.out, NAME.valgrind.log,
// NAME.stdout, NAME.stderr); everything else is marked after a '+', which file_stem always escapes,
// so that no benchmark name can produce another benchmark's file ("col.calibrate" is not "col" +
// "+calibrate"):
//   NAME+calibrate.*   the calibration run       NAME+heap.*, NAME+heap-peak.*   the DHAT runs
//   NAME+heap-count.heap-figures, .stdout, .stderr   the native run with the heap counter
//   NAME+process2.cachegrind.out, NAME+process2.valgrind.log   the third process of the measured run
//   NAME+serve.*       a served run (serve_run.hpp) that NAME starts: the program's own process;
//                      its children's files are moved to the names of the benchmarks they ran
// Valgrind writes one profile and one log per process, named by pid (NAME+pid4711.*); once the run
// is over, settle_processes renames them by the order the processes started, which is the same from
// run to run where pids are not.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cibench {

// A suite benchmark under a tool that cannot isolate a region has two runs: the measured one and
// the calibration (everything but the body), which is subtracted.
// `heap = true` adds the heap runs: for a suite benchmark the native run with the heap counter
// (heap_count), and, to name allocation sites when its figures moved, the DHAT run (heap) and for
// a body that allocates the DHAT run that finds the body's peak (heap_peak); for a plain program
// the DHAT run.
// A served run measures several benchmarks of a suite in one Valgrind start (serve_run.hpp).
enum class RunRole { measured, calibration, heap, heap_peak, heap_count, serve };

// One process of a finished run, its files renamed to their stable names.
struct RunProcess {
  size_t order = 0;            // start order: 0 the top process, then depth-first, siblings as they started
  std::optional<size_t> parent; // the order of its parent; none for the top process
  std::uint64_t pid = 0;
  std::string command;         // as Valgrind's log shows it ("Command: ...")
  bool wrote_profile = false;  // false: no counts (killed, still running, or exec'd out of Valgrind)
};

class RunFiles {
public:
  RunFiles(std::filesystem::path dir, std::string_view benchmark_name, RunRole role, std::string_view tool);

  // Of the process `process` in start order (0: the top process, the one ci-bench started).
  std::filesystem::path profile(size_t process = 0) const;      // NAME.cachegrind.out, NAME.callgrind.out, ...
  std::filesystem::path valgrind_log(size_t process = 0) const; // Valgrind's own messages
  // The workload's output, shared by all its processes.
  std::filesystem::path stdout_file() const;
  std::filesystem::path stderr_file() const;
  // The heap counter's figures (a heap_count run).
  std::filesystem::path heap_figures() const;

  // Valgrind's options that write each process's profile and log under its pid (%p).
  std::string profile_option(const std::string& option) const; // option: "--cachegrind-out-file="
  std::string log_option() const;

  // Removes what an earlier run with these names left (profiles, parts, logs, of every process,
  // and the output).
  void remove_stale() const;

  // After a run: orders the processes Valgrind followed (each one's log names its parent) and
  // renames their pid-named files to profile(order) and valgrind_log(order).
  std::vector<RunProcess> settle_processes() const;

private:
  std::filesystem::path named(const std::string& process_mark, const std::string& kind) const;
  std::filesystem::path dir_;
  std::string stem_; // NAME or NAME+calibrate, NAME+heap, NAME+heap-peak
  std::string tool_;
};

// Every Valgrind log of a settled run, one per process, in start order.
std::vector<std::filesystem::path> run_logs(const RunFiles& files);

// The profile and the numbered parts a tool may add beside it (NAME.callgrind.out.1, .2, ...), sorted.
std::vector<std::filesystem::path> profile_parts(const std::filesystem::path& profile);

// Valgrind expands %p, %q{VAR} and %% in its file options: a literal '%' must be doubled.
std::string file_option(const std::string& option, const std::filesystem::path& path);

} // namespace cibench

#pragma once
// Stage 2, measure: each planned benchmark under its Valgrind tool, in parallel. A benchmark that
// fails becomes a Measurement with a failure, never an exception, so that the others still run.
#include "measure/measurement.hpp"
#include "plan/plan.hpp"
#include "exec/process.hpp"
#include "exec/sandbox.hpp"
#include "measure/run_manifest.hpp"
#include "valgrind/tool.hpp"
#include "valgrind/valgrind.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cibench {

struct MeasureContext {
  Valgrind valgrind;
  ValgrindSettings settings;
  Toolchain host;
  std::filesystem::path out_dir;
  std::filesystem::path project_dir;        // function files under it are reported relative to it
  std::optional<std::string> tool_override; // --tool
  std::string build_hint;                   // after "build it first": the config's reproduce command
  bool verify = false;                       // --verify: measure twice, every event must repeat
  // heap = true on a suite: whether to name the allocation sites of the body whose natively
  // counted heap figures are these (a DHAT run each time it says yes). Unset: never.
  std::function<bool(const std::string& benchmark, const Metrics& heap)> explain_heap;
};

// The Valgrind tool that measures `benchmark`: --tool, else the config's.
std::string tool_of(const BenchmarkPlan& benchmark, const MeasureContext& context);

// The host's toolchain with the benchmark's compiler (read from its program) and tool.
Toolchain toolchain_of(const BenchmarkPlan& benchmark, const MeasureContext& context);

// The runs a benchmark takes: the measured one, and a calibration for a region the tool cannot
// isolate in one run.
std::vector<RunRole> run_roles(const BenchmarkPlan& benchmark, const ValgrindTool& tool);

// The whole command line of one run, with the program linked at `program` (in the sandbox).
std::vector<std::string> run_command_line(const BenchmarkPlan& benchmark, const MeasureContext& context,
                                          const ValgrindTool& tool, RunRole role, const RunFiles& files,
                                          const std::filesystem::path& program);

// The counts of a benchmark's run: its events, its functions' instructions, the run's manifest,
// and for a plain program each process's events.
struct RunCounts {
  Metrics events;
  FunctionInstructions functions;
  SourceLines lines;
  ManifestOrReasons manifest;
  std::vector<ProcessCount> processes;
};

// What a served run (serve_run.hpp) gave one benchmark: its counts, or its child's failure.
struct ServedCounts {
  RunCounts counts;
  std::optional<RunCounts> again; // --verify: the second served run's
  std::optional<Failure> failure;
  double seconds = 0;
  std::vector<std::string> files; // in the --out folder
};

// A served result that is only a failure (an interrupt, a program that could not start).
inline ServedCounts served_failure(Failure failure) {
  ServedCounts served;
  served.failure = std::move(failure);
  return served;
}

// `served`: the benchmark's counts from a served run, which its count run then does not repeat.
Measurement measure(const BenchmarkPlan& benchmark, const MeasureContext& context, const ServedCounts* served = nullptr);
// The count run's producer (metric_producers.hpp): the benchmark's events under its Valgrind tool
// (a region: by client requests or by calibration), its functions and its run's manifest.
void measure_counts(const BenchmarkPlan& benchmark, const MeasureContext& context, Measurement& m);

// --verify: each event of `first` that `second` counts otherwise, "Ir 5 then 7", or with how each
// was counted, "heap_total_bytes 330 counted natively then 314 under DHAT" (an event `second` lacks: "none").
std::vector<std::string> moved_events(const Metrics& first, const Metrics& second, std::string_view first_how = "",
                                      std::string_view second_how = "");

// A plain benchmark is measured across its process tree unless its config says trace_children = false.
bool traces_children(const BenchmarkPlan& benchmark);

// One Valgrind run of a workload in `cwd` (in its sandbox), from `argv` with the environment `env` (never a shell): its files settled into
// m.files, its time added to m.seconds, its processes returned in start order. Throws Error when it
// timed out or failed (with Valgrind's crash report and the stderr's last lines) or left no counts;
// `which` names the run in those messages (" (calibration run, --calibrate)"), `hint` ends a failure's first line.
std::vector<RunProcess> run_under_valgrind(const BenchmarkPlan& benchmark, std::vector<std::string> argv,
                                           std::vector<std::string> env, const std::filesystem::path& cwd, const RunFiles& files, std::string_view which,
                                           std::string_view hint, Measurement& m);
// The Error a failed run is: timed out, or the workload's status with Valgrind's crash report and
// the stderr's last lines.
Error run_failure(const BenchmarkPlan& benchmark, const ProcessResult& result, const RunFiles& files,
                  std::string_view which, std::string_view hint);

// The counts of a settled run: every process's profile added up (functions of a region under
// their stable names), and the manifest from its syscall `trace`, whose sandbox had the program
// linked at `program`.
RunCounts counts_of_run(const BenchmarkPlan& benchmark, const MeasureContext& context, const ValgrindTool& tool,
                        const RunFiles& files, const std::vector<RunProcess>& processes, const SyscallTrace& trace,
                        const std::filesystem::path& sandbox, const std::filesystem::path& program);

// Fills m's counts, functions, manifest and processes from `counts`.
void record_counts(RunCounts counts, Measurement& m);

// After a run: its processes in start order (files renamed), their files listed in m.files.
std::vector<RunProcess> settle_run(const RunFiles& files, Measurement& m);

// Throws Error(parse) when a process left no counts: only one the config chose not to follow
// (trace_children = false) may, and never the top one.
void require_counts(const std::vector<RunProcess>& processes, const RunFiles& files, bool trace_children);

// Measures every benchmark with `jobs` at a time; measurements in plan order. `done` is called
// (from worker threads, one at a time) as each finishes. A suite's benchmarks under Callgrind share
// served runs (serve_run.hpp); `costs` (seconds per benchmark, 0 unknown) balances them.
MeasurementSet measure_all(const std::vector<BenchmarkPlan>& plan, const MeasureContext& context, unsigned jobs,
                           const std::function<void(const Measurement&)>& done, const std::vector<double>& costs = {});

} // namespace cibench

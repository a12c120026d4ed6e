#pragma once
// Stage 2's output: one record per benchmark of what Valgrind counted, or why it could not, and
// the set of them that a run produced. The set is a file of its own (measurements.json), so that
// judging, merging shards and recording history can start from it.
#include "measure/toolchain.hpp"
#include "util/error.hpp"
#include "util/json_optional.hpp"
#include "metrics/metrics.hpp"
#include "valgrind/profile.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

// What one process of a plain benchmark counted, in start order (output_files.hpp): pids change
// from run to run, the order does not.
struct ProcessCount {
  std::string command; // as Valgrind's log shows it
  size_t pid_order = 0; // 0: the top process
  Metrics events;
};

struct Measurement {
  std::string name;
  std::string tool;
  Toolchain toolchain;              // the host's, with this benchmark's compiler and tool
  Metrics events;                   // raw events of what was measured (a suite benchmark: its body)
  FunctionInstructions functions;   // self instructions per function
  SourceLines lines;                // self instructions per source line (Cachegrind and Callgrind)
  // heap = true: bytes per allocation site (heap_figures.hpp names them), at the peak and in total
  FunctionInstructions allocation_sites_peak;
  FunctionInstructions allocation_sites_total;
  FunctionInstructions symbols;     // an [[artifact]]'s loaded symbols: demangled name -> bytes
  double seconds = 0;               // wall time of the Valgrind run(s)
  // Of `seconds`, what DHAT took to name allocation sites (when heap figures moved, or on
  // --update-baselines): not what a gate run costs, so not what a baseline records.
  double explain_seconds = 0;
  std::vector<std::string> files;   // raw output files written, by name, in the --out folder
  std::optional<Failure> failure;   // set: there are no counts, and this says why
  std::string content_fingerprint;  // what decides the counts (content_fingerprint.hpp); "" unknown
  bool reused = false;              // counts taken from the baseline of the same fingerprint, not measured
  // What the process tree saw outside its sandbox (run_manifest.hpp), kept in the baseline for
  // reuse; empty, with the reasons in `reuse_blocked`, when reuse could never be proved.
  std::map<std::string, std::string> manifest;
  std::vector<std::string> reuse_blocked;
  // Programs a process replaced itself with (exec): Valgrind writes no counts for the image before
  // an exec, so its work is in no figure, and the report says so.
  std::vector<std::string> uncounted_before_exec;
  std::vector<std::string> unstable_events; // --verify: events that differed between two runs ("Ir 5 then 7")
  std::vector<ProcessCount> processes; // a plain benchmark's processes, whose events add up to `events`
  // A region's derived hits that the two runs' miss counts made negative, floored at 0 ("l2_hits -1")
  std::vector<std::string> floored_metrics;

  bool ok() const { return !failure; }
};

struct MeasurementSet {
  int schema = 1;
  Toolchain host;
  std::vector<Measurement> measurements; // in plan order
};

// ErrorKind as the same word results.json uses (to_string); an unknown word is a parse error.
void to_json(nlohmann::json& j, ErrorKind kind);
void from_json(const nlohmann::json& j, ErrorKind& kind);
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Failure, kind, message)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SourceLine, instructions, text, functions)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProcessCount, command, pid_order, events)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Measurement, name, tool, toolchain, events, functions, lines, allocation_sites_peak,
                                                allocation_sites_total, symbols, seconds, explain_seconds, files, failure,
                                                content_fingerprint, reused, manifest, reuse_blocked, uncounted_before_exec,
                                                unstable_events, processes, floored_metrics)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(MeasurementSet, schema, host, measurements)

// Written atomically. Reading throws Error(parse) naming the file and what is wrong.
void write_measurement_set(const MeasurementSet& set, const std::filesystem::path& file);
MeasurementSet read_measurement_set(const std::filesystem::path& file);

} // namespace cibench

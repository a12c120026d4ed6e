#include "measure/heap_counter_run.hpp"

#include "exec/process.hpp"
#include "exec/sandbox.hpp"
#include "exec/suite_protocol.hpp"
#include "util/file_tail.hpp"
#include "valgrind/output_files.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

#ifndef CIBENCH_HEAP_COUNTER_FROM_BIN // set by harness/CMakeLists.txt from the install layout
#define CIBENCH_HEAP_COUNTER_FROM_BIN "../lib/ci-bench/libcibench-heap.so"
#endif

namespace cibench {
namespace fs = std::filesystem;
namespace {

// The counter's file: "ci-bench heap figures 1", then "KEY VALUE" lines.
Metrics read_figures(const fs::path& file, const BenchmarkPlan& b) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line))
    throw Error(ErrorKind::parse, fmt::format("the heap counter wrote no figures ({}): the program ended without running "
                                              "its exit handlers (_exit, or a signal) after the body of '{}'",
                                              file.filename().string(), b.name));
  if (line != "ci-bench heap figures 1")
    throw Error(ErrorKind::parse, fmt::format("{}: not the heap counter's figures (first line '{}')", file.filename().string(), line));
  std::map<std::string, std::int64_t> values;
  for (std::string key; std::getline(in, line);) {
    std::istringstream fields(line);
    std::int64_t value = -1;
    if (!(fields >> key >> value) || value < 0)
      throw Error(ErrorKind::parse, fmt::format("{}: cannot read the line '{}'", file.filename().string(), line));
    values[key] = value;
  }
  if (values["regions"] != 1)
    throw Error(ErrorKind::setup, fmt::format("the body of '{}' ran {} times under the heap counter, not once", b.name, values["regions"]));
  if (values["foreign_malloc"] != 0)
    throw Error(ErrorKind::setup, fmt::format("the heap counter does not see the allocations of '{}': the program's malloc is "
                                              "not the C library's (an allocator of its own, or one linked in statically), so "
                                              "heap = true cannot count its body; leave it out of heap = true",
                                              b.name));
  if (values["forks"] != 0)
    throw Error(ErrorKind::setup, fmt::format("the body of '{}' forked a process, whose heap the heap counter does not count "
                                              "(it counts the body's own process); leave it out of heap = true",
                                              b.name));
  if (values["complete"] != 1)
    throw Error(ErrorKind::setup, fmt::format("the heap counter ran out of memory for its table of the body's blocks ({})",
                                              file.filename().string()));
  Metrics heap;
  for (auto& metric : metrics_of(MetricSource::dhat)) {
    auto it = values.find(metric);
    if (it == values.end()) throw Error(ErrorKind::parse, fmt::format("{}: no {}", file.filename().string(), metric));
    heap[metric] = it->second;
  }
  return heap;
}

// The workload's environment with the counter preloaded ahead of any LD_PRELOAD it already has.
std::vector<std::string> counted_environment(const BenchmarkPlan& b, const fs::path& library, const fs::path& figures) {
  Environment env = b.settings.env;
  std::string preload = library.string();
  if (auto it = env.find("LD_PRELOAD"); it != env.end()) preload += " " + it->second;
  else if (const char* outside = std::getenv("LD_PRELOAD")) preload += std::string(" ") + outside;
  env["LD_PRELOAD"] = preload;
  env["CIBENCH_HEAP_FIGURES"] = figures.string();
  return workload_environment(env);
}

} // namespace

fs::path heap_counter_library() {
  std::error_code ec;
  const fs::path driver = fs::read_symlink("/proc/self/exe", ec);
  const fs::path library = (driver.parent_path() / CIBENCH_HEAP_COUNTER_FROM_BIN).lexically_normal();
  if (ec || access(library.c_str(), R_OK) != 0)
    throw Error(ErrorKind::setup, fmt::format("ci-bench's heap counter {} is missing (heap = true counts a suite's heap with it): "
                                              "build or install ci-bench whole, driver and counter",
                                              library.string()));
  return library;
}

Metrics count_heap_natively(const BenchmarkPlan& b, const MeasureContext& ctx, Measurement& m) {
  const fs::path library = heap_counter_library();
  const RunFiles files(ctx.out_dir, b.name, RunRole::heap_count, "native");
  Sandbox sandbox;
  const fs::path program = sandbox.link_program(b.program, ctx.build_hint);
  sandbox.copy_inputs(b.settings.inputs, b.source);
  const fs::path figures = sandbox.dir() / ".heap-figures";
  ProcessSpec spec{.argv = suite_protocol::heap_count_argv(program, b.name),
                   .env = counted_environment(b, library, figures),
                   .cwd = sandbox.dir(),
                   .stdout_file = files.stdout_file(),
                   .stderr_file = files.stderr_file(),
                   .timeout = b.settings.timeout};
  std::error_code ec;
  fs::remove(files.heap_figures(), ec);
  const ProcessResult r = run_process(spec);
  m.seconds += r.seconds;
  for (auto& f : {files.stdout_file(), files.stderr_file()}) m.files.push_back(f.filename().string());
  const char* which = " (heap count run, --heap-count, natively with the heap counter)";
  if (r.outcome == ProcessResult::Outcome::timed_out)
    throw Error(ErrorKind::timeout, fmt::format("timed out after {} s{} and was killed; raise `timeout` ({})",
                                                b.settings.timeout.count(), which, b.source));
  if (!r.ok()) {
    const bool exited = r.outcome == ProcessResult::Outcome::exited;
    const char* hint = exited && r.exit_code == 2 ? ": was the suite built with a header older than this ci-bench? Rebuild it"
                       : exited && r.exit_code == 4
                           ? ": the heap counter was not loaded (LD_PRELOAD does not reach a statically linked program: link the suite dynamically)"
                           : "";
    std::string e = fmt::format("workload {}{}{}\n", r.describe(), which, hint);
    if (auto tail = last_lines(files.stderr_file(), 12); !tail.empty()) e += "stderr (last lines):\n" + tail;
    throw Error(r.failure_kind(), e);
  }
  if (fs::exists(figures)) {
    fs::copy_file(figures, files.heap_figures(), fs::copy_options::overwrite_existing);
    m.files.push_back(files.heap_figures().filename().string());
  }
  return read_figures(files.heap_figures(), b);
}

} // namespace cibench

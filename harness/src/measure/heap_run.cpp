#include "measure/heap_run.hpp"

#include "exec/process.hpp"
#include "exec/sandbox.hpp"
#include "exec/suite_protocol.hpp"
#include "util/file_tail.hpp"
#include "valgrind/dhat/heap_figures.hpp"
#include "valgrind/output_files.hpp"

#include <fmt/format.h>

namespace cibench {
namespace fs = std::filesystem;

std::vector<std::string> dhat_arguments(const fs::path& profile) {
  // 500 is Valgrind's limit: a shallower stack could be cut before it reaches cibench_heap_region,
  // and that allocation would silently leave the body's figures.
  return {"--num-callers=500", "--fullpath-after=", file_option("--dhat-out-file=", profile)};
}

void measure_heap(const BenchmarkPlan& b, const MeasureContext& ctx, Measurement& m) {
  const RunFiles files = run_files(ctx.out_dir, b.name, RunRole::heap, "dhat");
  Sandbox sandbox;
  const fs::path program = sandbox.link_program(b.program, ctx.build_hint);
  sandbox.copy_inputs(b.settings.inputs, b.source);
  std::vector<std::string> program_argv;
  if (b.has_region()) {
    program_argv = suite_protocol::heap_argv(program, b.name);
  } else {
    program_argv = {program.string()};
    program_argv.insert(program_argv.end(), b.arguments.begin(), b.arguments.end());
  }
  std::vector<std::string> argv = {ctx.valgrind.executable.string(), "--tool=dhat"};
  for (auto& a : dhat_arguments(files.profile)) argv.push_back(a);
  argv.push_back(file_option("--log-file=", files.valgrind_log));
  argv.insert(argv.end(), program_argv.begin(), program_argv.end());
  ProcessSpec spec{.argv = argv,
                   .env = workload_environment(b.settings.env),
                   .cwd = sandbox.dir(),
                   .stdout_file = files.stdout_file,
                   .stderr_file = files.stderr_file,
                   .timeout = b.settings.timeout};
  for (auto& f : {files.profile, files.valgrind_log}) fs::remove(f);
  for (auto& f : {files.profile, files.valgrind_log, files.stdout_file, files.stderr_file})
    m.files.push_back(f.filename().string());

  const ProcessResult r = run_process(spec);
  m.seconds += r.seconds;
  if (r.outcome == ProcessResult::Outcome::timed_out)
    throw Error(ErrorKind::timeout, fmt::format("timed out after {} s (heap run, under DHAT) and was killed; raise "
                                                "`timeout` ({})", b.settings.timeout.count(), b.source));
  if (!r.ok()) {
    std::string e = fmt::format("workload {} (heap run, under DHAT{})\n", r.describe(),
                                b.has_region() ? ", --heap: was the suite built with a header older than heap = true?" : "");
    if (auto tail = last_lines(files.stderr_file, 12); !tail.empty()) e += "stderr (last lines):\n" + tail;
    else e += "valgrind log (last lines):\n" + last_lines(files.valgrind_log, 6);
    throw Error(r.failure_kind(), e);
  }
  HeapFigures heap = heap_figures(read_dhat(files.profile), ctx.project_dir, b.has_region());
  for (auto& [metric, value] : heap.metrics) m.events[metric] = value;
  for (auto& [site, bytes] : heap.peak_by_site)
    m.allocation_sites_peak[b.has_region() ? suite_protocol::stable_function_name(site, b.name) : site] += bytes;
  for (auto& [site, bytes] : heap.total_by_site)
    m.allocation_sites_total[b.has_region() ? suite_protocol::stable_function_name(site, b.name) : site] += bytes;
}

} // namespace cibench

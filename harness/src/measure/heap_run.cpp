#include "measure/heap_run.hpp"

#include "exec/sandbox.hpp"
#include "exec/suite_protocol.hpp"
#include "valgrind/dhat/heap_figures.hpp"
#include "valgrind/output_files.hpp"


namespace cibench {
namespace fs = std::filesystem;

std::vector<std::string> dhat_arguments(const RunFiles& files) {
  // 500 is Valgrind's limit: a shallower stack could be cut before it reaches cibench_heap_region,
  // and that allocation would silently leave the body's figures.
  return {"--num-callers=500", "--fullpath-after=", files.profile_option("--dhat-out-file=")};
}

namespace {

// One run of `program_argv` (its program already linked into `sandbox`) under DHAT. A plain
// benchmark's processes are one profile: their allocation sites side by side, so that each
// figure is the sum of the processes' own (a peak: the sum of each process's peak).
DhatProfile run_dhat(const BenchmarkPlan& b, const MeasureContext& ctx, RunRole role, const Sandbox& sandbox,
                     const std::vector<std::string>& program_argv, Measurement& m) {
  const RunFiles files(ctx.out_dir, b.name, role, "dhat");
  std::vector<std::string> argv = {ctx.valgrind.executable.string(), "--tool=dhat"};
  for (auto& a : dhat_arguments(files)) argv.push_back(a);
  if (traces_children(b)) argv.push_back("--trace-children=yes");
  // The heap-peak run reads DHAT's end snapshot as the body's end: Valgrind must not free libc's
  // and libstdc++'s own blocks (the exception pool) between the body and that snapshot.
  if (role == RunRole::heap_peak)
    for (const char* keep : {"--run-libc-freeres=no", "--run-cxx-freeres=no"}) argv.push_back(keep);
  argv.push_back(files.log_option());
  argv.insert(argv.end(), program_argv.begin(), program_argv.end());
  const std::string which = role == RunRole::heap_peak ? " (heap-peak run, under DHAT)" : " (heap run, under DHAT)";
  const char* hint = b.has_region() ? ": was the suite built with a header older than heap = true?" : "";
  const std::vector<RunProcess> processes = run_under_valgrind(b, std::move(argv), sandbox, files, which, hint, m);
  DhatProfile all;
  for (auto& p : processes) {
    if (!p.wrote_profile) continue;
    DhatProfile one = read_dhat(files.profile(p.order));
    if (p.order == 0) all.cmd = one.cmd;
    all.sites.insert(all.sites.end(), std::make_move_iterator(one.sites.begin()), std::make_move_iterator(one.sites.end()));
  }
  return all;
}

} // namespace

void measure_heap(const BenchmarkPlan& b, const MeasureContext& ctx, Measurement& m) {
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
  const DhatProfile profile = run_dhat(b, ctx, RunRole::heap, sandbox, program_argv, m);
  HeapFigures heap = heap_figures(profile, ctx.project_dir, b.has_region());
  // A body's bytes live at the process's peak are its own peak only when the process peaks inside
  // the body; a second run with a ballast makes it so (region_peak). A body that allocates nothing
  // peaks at 0 without it.
  if (b.has_region() && heap.metrics.at("heap_total_bytes") > 0) {
    std::int64_t process_peak = 0;
    for (auto& site : profile.sites) process_peak += site.peak_bytes;
    const std::int64_t ballast = process_peak + 1;
    const HeapFigures peak = region_peak(
        run_dhat(b, ctx, RunRole::heap_peak, sandbox, suite_protocol::heap_peak_argv(program, b.name, ballast), m), ballast,
        ctx.project_dir);
    for (auto& [metric, value] : peak.metrics) heap.metrics[metric] = value;
    heap.peak_by_site = peak.peak_by_site;
  }
  for (auto& [metric, value] : heap.metrics) m.events[metric] = value;
  for (auto& [site, bytes] : heap.peak_by_site)
    m.allocation_sites_peak[b.has_region() ? suite_protocol::stable_function_name(site, b.name) : site] += bytes;
  for (auto& [site, bytes] : heap.total_by_site)
    m.allocation_sites_total[b.has_region() ? suite_protocol::stable_function_name(site, b.name) : site] += bytes;
}

} // namespace cibench

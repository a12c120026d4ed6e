#include "measure/heap_run.hpp"

#include "exec/sandbox.hpp"
#include "exec/suite_protocol.hpp"
#include "measure/heap_counter_run.hpp"
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
  // A suite's runs leave libc's and libstdc++'s own blocks (a thread's descriptor, the exception
  // pool) unfreed at exit, as the heap counter does, so that heap_end_bytes means the same in both;
  // and the heap-peak run reads DHAT's end snapshot as the body's end, which such frees would move.
  if (b.has_region())
    for (const char* keep : {"--run-libc-freeres=no", "--run-cxx-freeres=no"}) argv.push_back(keep);
  argv.push_back(files.log_option());
  argv.insert(argv.end(), program_argv.begin(), program_argv.end());
  const std::string which = role == RunRole::heap_peak ? " (heap-peak run, under DHAT)" : " (heap run, under DHAT)";
  const char* hint = b.has_region() ? ": was the suite built with a header older than heap = true?" : "";
  const std::vector<RunProcess> processes = run_under_valgrind(b, std::move(argv), workload_environment(b.settings.env), sandbox.dir(), files, which, hint, m);
  DhatProfile all;
  for (auto& p : processes) {
    if (!p.wrote_profile) continue;
    DhatProfile one = read_dhat(files.profile(p.order));
    if (p.order == 0) all.cmd = one.cmd;
    all.sites.insert(all.sites.end(), std::make_move_iterator(one.sites.begin()), std::make_move_iterator(one.sites.end()));
  }
  return all;
}

// --verify: the heap figures two runs, or two ways, counted otherwise, among those both have (a
// peak DHAT could not prove is not compared).
void note_differences(Metrics first, const Metrics& second, std::string_view first_how, std::string_view second_how,
                      Measurement& m) {
  std::erase_if(first, [&](auto& figure) { return !second.contains(figure.first); });
  for (auto& moved : moved_events(first, second, first_how, second_how)) m.unstable_events.push_back(std::move(moved));
}

// A plain program's heap figures and sites: DHAT's own, from one run of the whole process tree.
HeapFigures dhat_whole_program(const BenchmarkPlan& b, const MeasureContext& ctx, Measurement& m) {
  Sandbox sandbox;
  const fs::path program = sandbox.link_program(b.program, ctx.build_hint);
  sandbox.copy_inputs(b.settings.inputs, b.source);
  std::vector<std::string> program_argv = {program.string()};
  program_argv.insert(program_argv.end(), b.arguments.begin(), b.arguments.end());
  return heap_figures(run_dhat(b, ctx, RunRole::heap, sandbox, program_argv, m), ctx.project_dir, false);
}

// A suite body's figures and sites under DHAT: the --heap run, and for a body that allocates the
// --heap-peak run that makes its peak exact (region_peak). Where that peak cannot be proved, the
// peak's figures and sites are left out and `peak_unproved` says why.
struct DhatRegion {
  HeapFigures figures;
  std::string peak_unproved;
};

DhatRegion dhat_region(const BenchmarkPlan& b, const MeasureContext& ctx, Measurement& m) {
  RunFiles(ctx.out_dir, b.name, RunRole::heap_peak, "dhat").remove_stale(); // a body that allocates nothing runs none
  Sandbox sandbox;
  const fs::path program = sandbox.link_program(b.program, ctx.build_hint);
  sandbox.copy_inputs(b.settings.inputs, b.source);
  const DhatProfile profile = run_dhat(b, ctx, RunRole::heap, sandbox, suite_protocol::heap_argv(program, b.name), m);
  DhatRegion region{.figures = heap_figures(profile, ctx.project_dir, true), .peak_unproved = ""};
  HeapFigures& heap = region.figures;
  if (heap.metrics.at("heap_total_bytes") == 0) return region; // a body that allocates nothing peaks at 0
  // A body's bytes live at the process's peak are its own peak only when the process peaks inside
  // the body; a second run with a ballast makes it so (region_peak).
  std::int64_t process_peak = 0;
  for (auto& site : profile.sites) process_peak += site.peak_bytes;
  const std::int64_t ballast = process_peak + 1;
  try {
    const HeapFigures peak = region_peak(
        run_dhat(b, ctx, RunRole::heap_peak, sandbox, suite_protocol::heap_peak_argv(program, b.name, ballast), m), ballast,
        ctx.project_dir);
    for (auto& [metric, value] : peak.metrics) heap.metrics[metric] = value;
    heap.peak_by_site = peak.peak_by_site;
  } catch (const Error& e) {
    if (e.kind != ErrorKind::setup) throw;
    region.peak_unproved = e.what();
    heap.metrics.erase("heap_peak_bytes");
    heap.metrics.erase("heap_peak_blocks");
    heap.peak_by_site.clear();
  }
  return region;
}

void keep_sites(const HeapFigures& heap, const BenchmarkPlan& b, Measurement& m) {
  for (auto& [site, bytes] : heap.peak_by_site)
    m.allocation_sites_peak[b.has_region() ? suite_protocol::stable_function_name(site, b.name) : site] += bytes;
  for (auto& [site, bytes] : heap.total_by_site)
    m.allocation_sites_total[b.has_region() ? suite_protocol::stable_function_name(site, b.name) : site] += bytes;
}

} // namespace

void measure_heap(const BenchmarkPlan& b, const MeasureContext& ctx, Measurement& m) {
  if (!b.has_region()) {
    const HeapFigures heap = dhat_whole_program(b, ctx, m);
    if (ctx.verify) {
      Measurement again;
      note_differences(heap.metrics, dhat_whole_program(b, ctx, again).metrics, " in the first DHAT run", " in the second", m);
      m.seconds += again.seconds;
    }
    for (auto& [metric, value] : heap.metrics) m.events[metric] = value;
    keep_sites(heap, b, m);
    return;
  }
  const Metrics counted = count_heap_natively(b, ctx, m);
  if (ctx.verify) { // twice natively, and once more under DHAT, which must agree
    Measurement again;
    note_differences(counted, count_heap_natively(b, ctx, again), " in the first native run", " in the second", m);
    m.seconds += again.seconds;
  }
  if (ctx.verify || (ctx.explain_heap && ctx.explain_heap(b.name, counted))) {
    const double before = m.seconds;
    const DhatRegion dhat = dhat_region(b, ctx, m);
    m.explain_seconds += m.seconds - before;
    if (ctx.verify) note_differences(counted, dhat.figures.metrics, " counted natively", " under DHAT", m);
    keep_sites(dhat.figures, b, m);
  } else { // no DHAT run this time: an earlier one's files would read as this run's
    for (RunRole role : {RunRole::heap, RunRole::heap_peak}) RunFiles(ctx.out_dir, b.name, role, "dhat").remove_stale();
  }
  for (auto& [metric, value] : counted) m.events[metric] = value;
}

} // namespace cibench

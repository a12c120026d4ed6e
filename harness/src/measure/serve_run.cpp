#include "measure/serve_run.hpp"

#include "exec/output_capture.hpp"
#include "exec/process.hpp"
#include "exec/sandbox.hpp"
#include "exec/suite_protocol.hpp"
#include "measure/syscall_trace.hpp"
#include "util/atomic_file.hpp"
#include "util/utf8.hpp"
#include "util/whole_file.hpp"
#include "valgrind/output_files.hpp"
#include "valgrind/tool.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <sys/wait.h>

namespace cibench {
namespace fs = std::filesystem;
namespace {

// The processes that descend from the one at `order`, itself first, in start order.
std::vector<RunProcess> tree_of(const std::vector<RunProcess>& processes, size_t order) {
  std::vector<RunProcess> tree;
  for (auto& p : processes)
    for (std::optional<size_t> at = p.order; at; at = processes[*at].parent)
      if (*at == order) {
        tree.push_back(p);
        break;
      }
  return tree;
}

ProcessResult as_result(const suite_protocol::ServedChild& child) {
  ProcessResult r;
  r.seconds = child.seconds;
  if (child.timed_out) {
    r.outcome = ProcessResult::Outcome::timed_out;
  } else if (WIFSIGNALED(child.wait_status)) {
    r.outcome = ProcessResult::Outcome::signalled;
    r.signal = WTERMSIG(child.wait_status);
  } else {
    r.exit_code = WEXITSTATUS(child.wait_status);
  }
  return r;
}

// Moves a profile and its numbered parts to another name.
void move_profile(const fs::path& from, const fs::path& to) {
  const std::string base = from.filename().string();
  for (auto& part : profile_parts(from)) fs::rename(part, to.string() + part.filename().string().substr(base.size()));
}

// A profile's "cmd:" line names the served program ("prog --serve requests"); the child's names
// what reproduces its counts, "prog --run NAME", which `folded` and `diff` read the benchmark from.
void name_the_benchmark(const fs::path& profile, const std::string& benchmark) {
  static const std::string served = " --serve requests\n";
  for (auto& part : profile_parts(profile)) {
    std::string text = read_whole_file(part).value_or("");
    const size_t cmd = text.find("\ncmd: "); // in the header, before any cost line
    const size_t end = cmd == std::string::npos ? cmd : text.find('\n', cmd + 1);
    if (end == std::string::npos || end + 1 < served.size() || text.compare(end + 1 - served.size(), served.size(), served) != 0) continue;
    text.replace(end + 1 - served.size(), served.size(), " --run " + benchmark + "\n");
    write_file_atomically(part, text);
  }
}

// The child's files under the benchmark's own names: its process tree renumbered from 0, its output.
std::vector<RunProcess> take_child_files(const RunFiles& served, const std::vector<RunProcess>& tree, const RunFiles& own,
                                         const std::string& benchmark, const fs::path& output, std::vector<std::string>& listed) {
  own.remove_stale();
  std::vector<RunProcess> renumbered;
  for (size_t n = 0; n < tree.size(); ++n) {
    RunProcess p = tree[n];
    if (p.wrote_profile) move_profile(served.profile(p.order), own.profile(n));
    if (p.wrote_profile && n == 0) name_the_benchmark(own.profile(0), benchmark);
    fs::rename(served.valgrind_log(p.order), own.valgrind_log(n));
    p.parent = n == 0 ? std::nullopt : std::optional<size_t>(0);
    p.order = n;
    renumbered.push_back(p);
    for (auto& f : profile_parts(own.profile(n))) listed.push_back(f.filename().string());
    listed.push_back(own.valgrind_log(n).filename().string());
  }
  std::error_code ec;
  fs::rename(output.string() + ".stdout", own.stdout_file(), ec);
  fs::rename(output.string() + ".stderr", own.stderr_file(), ec);
  // The child wrote them itself, uncut while it ran; cut now as a process of its own's would be.
  for (auto& f : {own.stdout_file(), own.stderr_file()}) cut_output_file(f, kKeptOutputBytes);
  for (auto& f : {own.stdout_file(), own.stderr_file()}) listed.push_back(f.filename().string());
  return renumbered;
}

// Where the k-th child's output goes: PREFIX.stdout and PREFIX.stderr, in the program's sandbox.
fs::path output_prefix(const Sandbox& sandbox, size_t k) { return sandbox.dir() / fmt::format("output{}", k); }

// Why the served run ended before serving everything it was given.
std::string ended_early(const ProcessResult& r, const RunFiles& files, const std::string& serving) {
  const std::string during = serving.empty() ? "" : fmt::format(" while its child ran {}", printable_line(serving, 200));
  if (r.outcome == ProcessResult::Outcome::timed_out) return "the served run timed out" + during;
  return fmt::format("the served run's program {} before forking every benchmark{} (log: {}); a program built with an "
                     "older workload header does not know --serve: rebuild it, or set `fork = false`",
                     r.ok() ? "stopped" : r.describe(), during, files.valgrind_log().filename().string());
}

ServeOutcome serve_once(const std::vector<const BenchmarkPlan*>& chunk, const MeasureContext& ctx, const std::string& label) {
  const BenchmarkPlan& first = *chunk.front();
  const ValgrindTool& tool = valgrind_tool(tool_of(first, ctx));
  // The program starts in its sandbox's work folder; each child moves into a sandbox of its own,
  // so no benchmark sees another's files, and every folder's path has the same length.
  Sandbox sandbox;
  const fs::path program = sandbox.link_program(first.program, ctx.build_hint);
  const fs::path start = sandbox.dir() / work_folder();
  fs::create_directory(start);
  std::vector<std::unique_ptr<Sandbox>> own_sandboxes;
  std::string requests;
  std::chrono::seconds children{0}, longest{0}; // the run's timeout: every child's, and the longest for start-up
  for (const BenchmarkPlan* b : chunk) {
    own_sandboxes.push_back(std::make_unique<Sandbox>());
    own_sandboxes.back()->link_program(b->program, ctx.build_hint); // its sandbox holds what a --run's would
    own_sandboxes.back()->copy_inputs(b->settings.inputs, b->source, work_folder());
    requests += suite_protocol::serve_record(b->name, own_sandboxes.back()->dir() / work_folder(), b->settings.timeout,
                                             output_prefix(sandbox, own_sandboxes.size() - 1));
    children += b->settings.timeout;
    longest = std::max(longest, b->settings.timeout);
  }
  write_file_atomically(start / "requests", requests); // throws Error(io): a short file would serve fewer

  const RunFiles files(ctx.out_dir, label, RunRole::serve, tool.name());
  files.remove_stale();
  auto argv = valgrind_argv(ctx.valgrind, tool, ctx.settings, files, true, false,
                            suite_protocol::serve_argv(program, "requests"));
  argv.insert(argv.begin() + 2, "--trace-syscalls=yes"); // the manifest, as run_command_line adds it
  std::optional<Error> interrupted;
  ProcessResult r;
  try {
    r = run_process({.argv = argv,
                     .env = region_environment(first.settings.env),
                     .cwd = start,
                     .stdout_file = files.stdout_file(),
                     .stderr_file = files.stderr_file(),
                     .timeout = children + longest});
  } catch (const Error& e) { // what the children finished still counts
    if (e.kind != ErrorKind::interrupted) throw;
    interrupted = e;
  }
  const std::vector<RunProcess> processes = files.settle_processes();
  const suite_protocol::ServeReport report = suite_protocol::read_serve_report(start / "requests.report");

  ServeOutcome out;
  out.results.resize(chunk.size());
  if (report.refused_threads) {
    out.fallback = "threads were already running when the program would fork its first benchmark "
                   "(start them in setup, or set `fork = false` for this suite)";
    return out;
  }
  const std::string parent_log = files.valgrind_log().filename().string();
  // Read once: the log grows with every child (its forks and waits), and every child shares it.
  const SyscallTrace startup = read_syscall_trace({files.valgrind_log()}, sandbox.dir(), program, work_folder());
  std::map<std::uint64_t, int> pid_uses; // a pid used twice in the run: Valgrind's files of the first are gone
  for (auto& p : processes) ++pid_uses[p.pid];
  for (auto& c : report.children) ++pid_uses[c.pid];
  for (size_t k = 0; k < std::min(report.children.size(), chunk.size()); ++k) {
    const BenchmarkPlan& b = *chunk[k];
    const suite_protocol::ServedChild& child = report.children[k];
    if (pid_uses[child.pid] > 2) continue; // measured on its own
    const auto process = std::find_if(processes.begin(), processes.end(), [&](auto& p) { return p.pid == child.pid; });
    ServedCounts served;
    served.seconds = child.seconds;
    try {
      if (process == processes.end())
        throw Error(ErrorKind::parse, fmt::format("Valgrind left no log of the process (pid {}) that ran it in the served run {}; "
                                                  "if it happens again, set `fork = false` for this benchmark",
                                                  child.pid, parent_log));
      const RunFiles own(ctx.out_dir, b.name, RunRole::measured, tool.name());
      const std::vector<RunProcess> tree =
          take_child_files(files, tree_of(processes, process->order), own, b.name, output_prefix(sandbox, k), served.files);
      if (const ProcessResult result = as_result(child); !result.ok())
        throw run_failure(b, result, own, " (in a served run)", "");
      require_counts(tree, own, false);
      SyscallTrace trace = startup; // the program's start-up, then what the child saw
      const fs::path output = output_prefix(sandbox, k);
      add_syscall_trace(trace, read_syscall_trace(run_logs(own), own_sandboxes[k]->dir(), program, work_folder(),
                                                  {output.string() + ".stdout", output.string() + ".stderr"}));
      served.counts = counts_of_run(b, ctx, tool, own, tree, trace, own_sandboxes[k]->dir(), program);
    } catch (const Error& e) {
      served.failure = to_failure(e);
    } catch (const std::exception& e) { // a file that vanished: this benchmark's fault, never the run's
      served.failure = Failure{ErrorKind::internal, e.what()};
    }
    out.results[k] = std::move(served);
  }
  for (size_t k = report.children.size(); interrupted && k < chunk.size(); ++k)
    out.results[k] = served_failure(to_failure(*interrupted));
  if (std::count(out.results.begin(), out.results.end(), std::nullopt) > 0)
    out.fallback = report.children.size() < chunk.size() ? ended_early(r, files, chunk[report.children.size()]->name)
                                                         : "a process id came round twice in the served run";
  return out;
}

} // namespace

bool servable(const BenchmarkPlan& b, const MeasureContext& ctx) {
  return b.has_region() && !b.setup_failure && b.settings.fork && valgrind_tool(tool_of(b, ctx)).counts_region_in_one_run();
}

std::string serve_key(const BenchmarkPlan& b, const MeasureContext& ctx) {
  // Not the inputs: each child's sandbox gets its own benchmark's.
  std::string key = b.program.string() + '\0' + tool_of(b, ctx);
  for (auto& variable : workload_environment(b.settings.env)) key += '\0' + variable;
  return key;
}

ServeOutcome serve(const std::vector<const BenchmarkPlan*>& chunk, const MeasureContext& ctx, const std::string& label) {
  ServeOutcome first = serve_once(chunk, ctx, label);
  if (!ctx.verify) return first;
  // --verify: the whole served run again; its files overwrite the first's, as a second --run's would.
  ServeOutcome second = serve_once(chunk, ctx, label);
  for (size_t k = 0; k < chunk.size(); ++k) {
    auto& a = first.results[k];
    auto& b = second.results[k];
    if (!a || !b) {
      a.reset(); // not served twice: measured on its own, twice
      continue;
    }
    a->seconds += b->seconds;
    if (!a->failure && b->failure) a->failure = b->failure;
    if (!a->failure) a->again = std::move(b->counts);
  }
  if (first.fallback.empty()) first.fallback = second.fallback;
  return first;
}

void remove_stale_served_files(const fs::path& out_dir) {
  // Only a served run's names hold "+serve": file_stem escapes a '+' of any other name.
  std::error_code ec;
  std::vector<fs::path> stale;
  for (auto& e : fs::directory_iterator(out_dir, ec))
    if (e.path().filename().string().find("+serve") != std::string::npos) stale.push_back(e.path());
  for (auto& f : stale) fs::remove(f, ec);
}

} // namespace cibench

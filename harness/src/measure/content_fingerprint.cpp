#include "measure/content_fingerprint.hpp"

#include "exec/input_tree.hpp"
#include "exec/process.hpp"
#include "exec/sandbox.hpp"
#include "exec/suite_protocol.hpp"
#include "measure/driver_build.hpp"
#include "measure/heap_counter_run.hpp"
#include "elf/elf_loaded_content.hpp"
#include "util/sha256.hpp"
#include "util/whole_file.hpp"

#include <fmt/format.h>
#include <fstream>

namespace cibench {
namespace fs = std::filesystem;
namespace {

// A declared input as the sandbox will hold it: every folder and file by its path there, files by
// content. Throws Error(setup) for an input the sandbox could not copy either.
std::string input_digest(const fs::path& input, const std::string& where) {
  Sha256 hash;
  for (auto& entry : walk_input(input, where)) {
    hash.field(entry.relative.string());
    hash.field(entry.folder ? "folder" : file_sha256(entry.source).value_or("unreadable"));
    std::error_code ec; // the copy keeps the mode bits, and a workload can read them
    hash.field(std::to_string(static_cast<unsigned>(fs::status(entry.source, ec).permissions())));
  }
  return hash.hex();
}

// Every setting that reaches a run. The structured binding names each field of RunSettings: a
// field added there and not here is a compile error, so no new key can be forgotten.
void add_settings(Sha256& hash, const RunSettings& settings, const std::string& where) {
  const auto& [tool, timeout, thresholds, env, wall_clock_only, heap, trace_children, fork, inputs] = settings;
  (void)thresholds;      // judged after the counts, never part of a run
  (void)wall_clock_only; // such a benchmark is not measured by `run`
  hash.field(tool).field(std::to_string(timeout.count())).field(heap ? "heap" : "no heap");
  hash.field(trace_children ? "process tree" : "top process").field(fork ? "served" : "one process each");
  for (auto& [name, value] : env) hash.field(name).field(value);
  hash.field("");
  for (auto& input : inputs) hash.field(input_digest(input, where));
}

} // namespace

std::string valgrind_guest_cpu(const Valgrind& valgrind) {
  Sandbox scratch;
  ProcessSpec spec{.argv = {valgrind.executable.string(), "-v", "--tool=none", "/bin/true"},
                   .env = workload_environment({}),
                   .cwd = scratch.dir(),
                   .stdout_file = scratch.dir() / "stdout",
                   .stderr_file = scratch.dir() / "stderr",
                   .timeout = std::chrono::seconds(60)};
  try {
    if (!run_process(spec).ok()) return {};
  } catch (const Error& e) {
    if (e.kind == ErrorKind::interrupted) throw;
    return {};
  }
  std::ifstream in(spec.stderr_file);
  constexpr std::string_view label = "Arch and hwcaps: ";
  for (std::string line; std::getline(in, line);)
    if (auto at = line.find(label); at != std::string::npos) return line.substr(at + label.size());
  return {};
}

ContentFingerprints::ContentFingerprints(const MeasureContext& context) : context_(context) {}

const std::string& ContentFingerprints::shared_part() {
  if (!shared_) {
    const std::string cpu = valgrind_guest_cpu(context_.valgrind);
    const DriverBuild& driver = this_driver();
    shared_ = "";
    if (!cpu.empty() && !driver.build.empty())
      shared_ = Sha256().field(kMeasurementMethod).field(driver.build).field(context_.valgrind.version).field(cpu).hex();
  }
  return *shared_;
}

std::optional<std::string> ContentFingerprints::loaded_digest(const fs::path& file) {
  auto [it, fresh] = digests_.try_emplace(file);
  if (fresh) {
    auto elf = elf_loaded_content(file);
    if (elf) {
      // The dynamic loader is mapped by Valgrind, not opened by the client: it is not in the manifest.
      Sha256 hash;
      hash.field(elf->digest);
      if (!elf->interpreter.empty()) {
        const auto loader = elf_loaded_content(elf->interpreter);
        if (!loader) return it->second = std::nullopt;
        hash.field(elf->interpreter).field(loader->digest);
      }
      it->second = hash.hex();
    }
  }
  return it->second;
}

std::string ContentFingerprints::of(const BenchmarkPlan& b) {
  // An artifact's size is read without Valgrind, in an instant: never worth reusing.
  if (b.setup_failure || b.kind == BenchmarkPlan::Kind::artifact) return {};
  const std::string& shared = shared_part();
  const auto program = loaded_digest(b.program);
  if (shared.empty() || !program) return {};
  Sha256 hash;
  hash.field(shared).field(*program);
  const ValgrindTool* tool = nullptr;
  try {
    tool = &valgrind_tool(tool_of(b, context_));
  } catch (const Error&) {
    return {};
  }
  // Fixed stand-ins for the paths that change from run to run and never reach the counts.
  for (RunRole role : run_roles(b, *tool)) {
    const RunFiles files("out", "benchmark", role, tool->name());
    auto argv = run_command_line(b, context_, *tool, role, files, "prog");
    argv.erase(argv.begin()); // valgrind's own path: its version is what counts
    for (auto& arg : argv) hash.field(arg);
    hash.field("");
  }
  for (auto& variable : workload_environment(b.settings.env)) hash.field(variable);
  hash.field("");
  try {
    add_settings(hash, b.settings, b.source);
    // The heap counter counts a suite's heap figures: a changed counter may count otherwise.
    if (b.settings.heap && b.has_region()) {
      const auto counter = loaded_digest(heap_counter_library());
      if (!counter) return {};
      hash.field(*counter);
    }
  } catch (const Error&) {
    return {}; // an input that cannot be copied, a counter that is missing: measuring says why
  }
  return hash.hex();
}

} // namespace cibench

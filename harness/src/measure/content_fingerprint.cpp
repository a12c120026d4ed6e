#include "measure/content_fingerprint.hpp"

#include "exec/process.hpp"
#include "exec/sandbox.hpp"
#include "exec/suite_protocol.hpp"
#include "util/elf_loaded_content.hpp"
#include "util/sha256.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace cibench {
namespace fs = std::filesystem;
namespace {

std::optional<std::string> whole_file_digest(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return sha256_hex(std::move(bytes).str());
}

// A declared input: a file's name and content, or a folder's every file by relative path, in
// order (copied into the sandbox under its last name, as the workload sees it).
std::string input_digest(const fs::path& input) {
  Sha256 hash;
  hash.field(input.filename().string());
  std::error_code ec;
  if (fs::is_directory(input, ec)) {
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(input, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec)) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (auto& f : files) hash.field(fs::relative(f, input).string()).field(whole_file_digest(f).value_or("unreadable"));
  } else {
    hash.field(whole_file_digest(input).value_or("missing"));
  }
  return hash.hex();
}

// The CPU's feature flags as the kernel reports them (the first processor's).
std::string cpu_flags() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("flags", 0) == 0) return line;
  return {};
}

// "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "\t/lib64/ld-linux-x86-64.so.2 (0x...)":
// the path, or "" for a line that names no file (linux-vdso.so.1).
std::string loaded_path(const std::string& line) {
  std::string rest = line;
  if (auto arrow = rest.find(" => "); arrow != std::string::npos) rest = rest.substr(arrow + 4);
  rest.erase(0, rest.find_first_not_of(" \t"));
  if (auto address = rest.rfind(" (0x"); address != std::string::npos) rest.resize(address);
  return rest.empty() || rest[0] != '/' ? std::string{} : rest;
}

} // namespace

std::optional<std::vector<fs::path>> list_loaded_objects(const fs::path& program, const std::vector<std::string>& env) {
  const auto own = elf_loaded_content(program);
  if (!own) return std::nullopt;
  std::vector<fs::path> objects = {program};
  if (own->interpreter.empty()) return objects; // static: nothing else is loaded
  Sandbox scratch;
  ProcessSpec spec{.argv = {own->interpreter, "--list", program.string()},
                   .env = env,
                   .cwd = scratch.dir(),
                   .stdout_file = scratch.dir() / "loaded",
                   .stderr_file = scratch.dir() / "stderr",
                   .timeout = std::chrono::seconds(30)};
  try {
    if (!run_process(spec).ok()) return std::nullopt;
  } catch (const Error& e) {
    if (e.kind == ErrorKind::interrupted) throw;
    return std::nullopt;
  }
  std::ifstream in(spec.stdout_file);
  for (std::string line; std::getline(in, line);) {
    if (line.find("not found") != std::string::npos) return std::nullopt;
    if (auto path = loaded_path(line); !path.empty()) objects.emplace_back(path);
  }
  return objects;
}

ContentFingerprints::ContentFingerprints(const MeasureContext& context) : context_(context) {
  Sha256 host;
  host.field(kMeasurementMethod).field(context.valgrind.version).field(cpu_flags());
  host.field(whole_file_digest("/etc/ld.so.cache").value_or("no ld.so.cache"));
  host_ = host.hex();
}

std::optional<std::string> ContentFingerprints::file_digest(const fs::path& file) {
  auto [it, fresh] = digests_.try_emplace(file);
  if (fresh) {
    auto elf = elf_loaded_content(file);
    it->second = elf ? std::optional(elf->digest) : std::nullopt;
  }
  return it->second;
}

std::optional<std::vector<fs::path>> ContentFingerprints::loaded_objects(const BenchmarkPlan& b) {
  const auto env = workload_environment(b.settings.env);
  std::string key = b.program.string();
  for (auto& e : env) key += '\0' + e;
  auto [it, fresh] = loaded_.try_emplace(key);
  if (fresh) it->second = list_loaded_objects(b.program, env);
  return it->second;
}

std::string ContentFingerprints::of(const BenchmarkPlan& b) {
  // An artifact's size is read without Valgrind, in an instant: never worth reusing.
  if (b.setup_failure || b.kind == BenchmarkPlan::Kind::artifact) return {};
  const auto objects = loaded_objects(b);
  if (!objects) return {};
  Sha256 hash;
  hash.field(host_);
  for (auto& object : *objects) {
    const auto digest = file_digest(object);
    if (!digest) return {};
    hash.field(*digest);
  }
  const std::string tool_name = tool_of(b, context_);
  const ValgrindTool* tool = nullptr;
  try {
    tool = &valgrind_tool(tool_name);
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
  hash.field(b.settings.heap ? "heap run under DHAT" : "no heap run");
  for (auto& variable : workload_environment(b.settings.env)) hash.field(variable);
  hash.field("");
  for (auto& input : b.settings.inputs) hash.field(input_digest(input));
  return hash.hex();
}

} // namespace cibench

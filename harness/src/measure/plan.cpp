#include "measure/plan.hpp"

#include "util/error.hpp"
#include "util/file_tail.hpp"
#include "exec/process.hpp"
#include "exec/sandbox.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <map>

namespace cibench {
namespace {

void check_name(const std::string& name, const std::string& source) {
  if (name.empty()) throw Error(fmt::format("{}: a benchmark has an empty name", source));
  if (name.size() > 200) throw Error(fmt::format("{}: benchmark name '{}...' is longer than 200 bytes", source, name.substr(0, 40)));
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f)
      throw Error(fmt::format("{}: benchmark name '{}' contains a control character", source, name));
}

// Asks a suite binary for its benchmark names. Returns the names, or fills `error`.
std::vector<std::string> list_suite(const SuiteConfig& suite, std::string& error) {
  Sandbox sandbox;
  ProcessSpec spec;
  spec.argv = {suite.binary.string(), "--list"};
  spec.env = workload_environment(suite.settings.env);
  spec.cwd = sandbox.dir();
  spec.stdout_file = sandbox.dir() / ".list.stdout";
  spec.stderr_file = sandbox.dir() / ".list.stderr";
  spec.timeout = std::chrono::seconds(60);
  ProcessResult r;
  try {
    r = run_process(spec);
  } catch (const Error& e) {
    error = fmt::format("suite {} ({}): {} (is it built? run `make`)", suite.binary.string(), suite.where, e.what());
    return {};
  }
  if (!r.ok()) {
    error = fmt::format("suite {} --list {}\n{}", suite.binary.string(), r.describe(), last_lines(spec.stderr_file));
    return {};
  }
  std::vector<std::string> names;
  std::ifstream in(spec.stdout_file);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) names.push_back(line);
  if (names.empty()) error = fmt::format("suite {} ({}) lists no benchmarks", suite.binary.string(), suite.where);
  return names;
}

} // namespace

std::vector<std::string> workload_environment(const Environment& extra) {
  Environment env;
  for (const char* keep : {"LD_LIBRARY_PATH", "LD_PRELOAD"})
    if (const char* v = std::getenv(keep)) env[keep] = v;
  for (auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  for (auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

std::vector<BenchmarkPlan> make_plan(const Config& config) {
  std::vector<BenchmarkPlan> plan;
  std::map<std::string, std::string> seen; // name -> where
  auto add = [&](BenchmarkPlan p) {
    check_name(p.name, p.source);
    auto [it, fresh] = seen.try_emplace(p.name, p.source);
    if (!fresh) throw Error(fmt::format("benchmark name '{}' is used twice: {} and {}", p.name, it->second, p.source));
    plan.push_back(std::move(p));
  };
  for (auto& b : config.benchmarks) add({b.name, b.command, false, b.settings, b.where, {}});
  for (auto& s : config.suites) {
    std::string error;
    auto names = list_suite(s, error);
    if (!error.empty()) {
      plan.push_back({s.binary.filename().string(), {s.binary.string()}, true, s.settings, s.where, error});
      continue;
    }
    for (auto& [name, settings] : s.overrides)
      if (std::find(names.begin(), names.end(), name) == names.end())
        throw Error(fmt::format("{}: [suite.benchmark.\"{}\"] names no benchmark of {} (see `{} --list`)", s.where,
                                name, s.binary.string(), s.binary.string()));
    for (auto& name : names) {
      auto own = s.overrides.find(name);
      add({name, {s.binary.string(), "--run", name}, true, own != s.overrides.end() ? own->second : s.settings,
           fmt::format("suite {} ({})", s.binary.string(), s.where), {}});
    }
  }
  return plan;
}

} // namespace cibench

#include "exec/suite_protocol.hpp"

#include "exec/process.hpp"
#include "exec/sandbox.hpp"
#include "util/file_tail.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <regex>
#include <sstream>

namespace cibench {

std::vector<std::string> workload_environment(const Environment& extra) {
  Environment env;
  for (const char* keep : {"LD_LIBRARY_PATH", "LD_PRELOAD"})
    if (const char* v = std::getenv(keep)) env[keep] = v;
  for (auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  for (auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

std::vector<std::string> region_environment(const Environment& extra) {
  Environment env = extra;
  env.try_emplace("LD_BIND_NOW", "1");
  return workload_environment(env);
}

namespace suite_protocol {
namespace {

// A line of workload output fit for an error message: cut short, every byte that is not printable
// ASCII shown as \xNN, so no escape sequence reaches the terminal.
std::string printable(const std::string& line) {
  std::string out;
  for (unsigned char c : line.substr(0, 80)) {
    if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else out += fmt::format("\\x{:02x}", c);
  }
  return line.size() > 80 ? out + "..." : out;
}

} // namespace

std::vector<std::string> run_argv(const std::filesystem::path& program, const std::string& benchmark) {
  return {program.string(), "--run", benchmark};
}

std::vector<std::string> serve_argv(const std::filesystem::path& program, const std::string& requests_file) {
  return {program.string(), "--serve", requests_file};
}

std::string serve_record(const std::string& benchmark, const std::filesystem::path& folder, std::chrono::seconds timeout,
                         const std::filesystem::path& output) {
  std::string record = benchmark + '\0' + folder.string() + '\0' + std::to_string(timeout.count()) + '\0' + output.string() + '\0';
  if (record.size() > kServeRecordBytes || benchmark.find('\0') != std::string::npos)
    throw Error(ErrorKind::config, fmt::format("benchmark name too long for --serve: {}", printable(benchmark)));
  record.resize(kServeRecordBytes, '\0');
  return record;
}

ServeReport read_serve_report(const std::filesystem::path& stdout_file) {
  ServeReport report;
  std::ifstream in(stdout_file);
  for (std::string line; std::getline(in, line);) {
    if (line == "threads") {
      report.refused_threads = true;
      break;
    }
    std::istringstream fields(line);
    ServedChild c;
    int timed_out = 0;
    long long nanos = 0;
    if (!(fields >> c.pid >> c.wait_status >> timed_out >> nanos)) break;
    c.timed_out = timed_out == 1;
    c.seconds = static_cast<double>(nanos) / 1e9;
    report.children.push_back(c);
  }
  return report;
}

std::vector<std::string> heap_count_argv(const std::filesystem::path& program, const std::string& benchmark) {
  return {program.string(), "--heap-count", benchmark};
}

std::vector<std::string> heap_argv(const std::filesystem::path& program, const std::string& benchmark) {
  return {program.string(), "--heap", benchmark};
}

std::vector<std::string> heap_peak_argv(const std::filesystem::path& program, const std::string& benchmark,
                                        std::int64_t ballast_bytes) {
  return {program.string(), "--heap-peak", benchmark, std::to_string(ballast_bytes)};
}

std::vector<std::string> calibrate_argv(const std::filesystem::path& program, const std::string& benchmark) {
  return {program.string(), "--calibrate", benchmark};
}

std::vector<std::string> time_argv(const std::filesystem::path& program, const std::string& benchmark,
                                   long long iterations, long long samples, long long warmup_ms) {
  return {program.string(), "--time", benchmark, std::to_string(iterations), std::to_string(samples),
          std::to_string(warmup_ms)};
}

std::vector<std::string> list_benchmarks(const std::filesystem::path& program, const Environment& env,
                                         std::chrono::seconds timeout, const std::string& where,
                                         const std::string& build_hint) {
  Sandbox sandbox;
  ProcessSpec spec{.argv = {program.string(), "--list"},
                   .env = workload_environment(env),
                   .cwd = sandbox.dir(),
                   .stdout_file = sandbox.dir() / ".list.stdout",
                   .stderr_file = sandbox.dir() / ".list.stderr",
                   .timeout = timeout};
  ProcessResult r;
  try {
    r = run_process(spec);
  } catch (const Error& e) {
    if (e.kind == ErrorKind::interrupted) throw;
    throw Error(ErrorKind::setup, fmt::format("suite {} ({}): {} (is it built? build your workloads first{}, or fix `binary` in the config)", program.string(), where, e.what(), build_hint));
  }
  if (!r.ok())
    throw Error(ErrorKind::setup, fmt::format("suite {} --list {}\n{}", program.string(), r.describe(), last_lines(spec.stderr_file)));
  std::vector<std::string> names;
  std::ifstream in(spec.stdout_file);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) names.push_back(line);
  if (names.empty()) throw Error(ErrorKind::setup, fmt::format("suite {} ({}) lists no benchmarks", program.string(), where));
  return names;
}

std::string stable_function_name(const std::string& function, const std::string& benchmark) {
  static const std::regex body_name("cibench_benchmark_[0-9]+");
  std::string out;
  auto rest = function.cbegin();
  for (std::smatch m; std::regex_search(rest, function.cend(), m, body_name); rest = m[0].second)
    out.append(rest, m[0].first).append(fmt::format("CIBENCH_BENCHMARK({})", benchmark));
  return out.append(rest, function.cend());
}

std::string benchmark_of_command(const std::string& command_line) {
  static const std::string peak = " --heap-peak ";
  if (auto at = command_line.find(peak); at != std::string::npos) { // NAME BALLAST_BYTES
    const std::string rest = command_line.substr(at + peak.size());
    const auto space = rest.rfind(' ');
    return space == std::string::npos ? rest : rest.substr(0, space);
  }
  for (const std::string flag : {" --run ", " --calibrate ", " --heap "})
    if (auto at = command_line.find(flag); at != std::string::npos) return command_line.substr(at + flag.size());
  return "";
}

std::vector<TimeSample> read_time_samples(const std::filesystem::path& stdout_file) {
  std::vector<TimeSample> out;
  std::ifstream in(stdout_file);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::istringstream fields(line);
    TimeSample s{-1, -1};
    std::string rest;
    // Any other line is an error: a workload that writes to stdout while timed would otherwise
    // have its numbers read as timings.
    if (!(fields >> s.body_ns >> s.wall_ns) || fields >> rest || s.body_ns < 0 || s.wall_ns < 0)
      throw Error(ErrorKind::parse, fmt::format("line {} of the workload's --time output is '{}', not 'BODY_NS WALL_NS' "
                                                "(a workload must not write to stdout)",
                                                number, printable(line)));
    out.push_back(s);
  }
  return out;
}

} // namespace suite_protocol
} // namespace cibench

#include "valgrind/output_files.hpp"

#include "util/file_names.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <optional>

namespace cibench {
namespace fs = std::filesystem;
namespace {

const char* role_mark(RunRole role) {
  switch (role) {
  case RunRole::measured: return "";
  case RunRole::calibration: return "+calibrate";
  case RunRole::heap: return "+heap";
  case RunRole::heap_peak: return "+heap-peak";
  case RunRole::heap_count: return "+heap-count";
  case RunRole::serve: return "+serve";
  }
  return "";
}

std::string process_mark(size_t process) { return process == 0 ? "" : fmt::format("+process{}", process); }

// "+pid4711" or "+process2" at the start of `rest`: the number, with `rest` moved past it.
std::optional<std::uint64_t> take_number_after(std::string_view& rest, std::string_view mark) {
  if (!rest.starts_with(mark)) return std::nullopt;
  std::string_view digits = rest.substr(mark.size());
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end == digits.data()) return std::nullopt;
  rest = std::string_view(end, digits.data() + digits.size() - end);
  return n;
}

// ".cachegrind.out", ".cachegrind.out.3" (a numbered part) or ".valgrind.log".
bool is_kind(std::string_view rest, const std::string& tool) {
  if (rest == ".valgrind.log") return true;
  const std::string profile = "." + tool + ".out";
  if (!rest.starts_with(profile)) return false;
  rest.remove_prefix(profile.size());
  return rest.empty() ||
         (rest.size() > 1 && rest[0] == '.' && rest.find_first_not_of("0123456789", 1) == std::string_view::npos);
}

struct LogHeader {
  std::uint64_t parent = 0;
  std::string command;
};

// The first lines of a Valgrind log: "==4711== Command: sh -c ..." and "==4711== Parent PID: 4700".
LogHeader read_log_header(const fs::path& log) {
  LogHeader h;
  std::ifstream in(log);
  std::string line;
  for (int i = 0; i < 12 && std::getline(in, line); ++i) {
    const auto body = line.find("== ");
    if (body == std::string::npos) continue;
    std::string_view text = std::string_view(line).substr(body + 3);
    if (text.starts_with("Command: ")) h.command = std::string(text.substr(9));
    else if (text.starts_with("Parent PID: ")) std::from_chars(text.data() + 12, text.data() + text.size(), h.parent);
  }
  return h;
}

} // namespace

std::string file_option(const std::string& option, const fs::path& path) {
  std::string escaped;
  for (char c : path.string()) escaped += c == '%' ? std::string("%%") : std::string(1, c);
  return option + escaped;
}

RunFiles::RunFiles(fs::path dir, std::string_view name, RunRole role, std::string_view tool)
    : dir_(std::move(dir)), stem_(file_stem(name) + role_mark(role)), tool_(tool) {}

fs::path RunFiles::named(const std::string& process_mark, const std::string& kind) const {
  return dir_ / (stem_ + process_mark + kind);
}

fs::path RunFiles::profile(size_t process) const { return named(process_mark(process), "." + tool_ + ".out"); }
fs::path RunFiles::valgrind_log(size_t process) const { return named(process_mark(process), ".valgrind.log"); }
fs::path RunFiles::stdout_file() const { return named("", ".stdout"); }
fs::path RunFiles::stderr_file() const { return named("", ".stderr"); }
fs::path RunFiles::heap_figures() const { return named("", ".heap-figures"); }

// Escaped as a whole, then the pid's %p appended: the name itself may hold a '%'.
std::string RunFiles::profile_option(const std::string& option) const {
  return file_option(option, dir_ / (stem_ + "+pid")) + "%p." + tool_ + ".out";
}
std::string RunFiles::log_option() const { return file_option("--log-file=", dir_ / (stem_ + "+pid")) + "%p.valgrind.log"; }

void RunFiles::remove_stale() const {
  std::error_code ec;
  std::vector<fs::path> stale;
  for (auto& e : fs::directory_iterator(dir_, ec)) {
    const std::string n = e.path().filename().string();
    if (!n.starts_with(stem_)) continue;
    std::string_view rest = std::string_view(n).substr(stem_.size());
    if (!take_number_after(rest, "+pid")) take_number_after(rest, "+process");
    if (is_kind(rest, tool_)) stale.push_back(e.path());
  }
  for (auto& f : stale) fs::remove(f);
  fs::remove(stdout_file(), ec);
  fs::remove(stderr_file(), ec);
}

std::vector<RunProcess> RunFiles::settle_processes() const {
  std::map<std::uint64_t, std::vector<std::string>> kinds_by_pid; // ".valgrind.log", ".cachegrind.out", ".cachegrind.out.2"
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dir_, ec)) {
    const std::string n = e.path().filename().string();
    if (!n.starts_with(stem_)) continue;
    std::string_view rest = std::string_view(n).substr(stem_.size());
    if (auto pid = take_number_after(rest, "+pid"); pid && is_kind(rest, tool_)) kinds_by_pid[*pid].emplace_back(rest);
  }
  // The tree: a process whose parent Valgrind did not follow is a root (normally the top one only).
  std::map<std::uint64_t, LogHeader> header;
  std::map<std::uint64_t, std::vector<std::uint64_t>> children; // by pid: the order they were forked in
  std::vector<std::uint64_t> roots;
  for (auto& [pid, kinds] : kinds_by_pid) header[pid] = read_log_header(named(fmt::format("+pid{}", pid), ".valgrind.log"));
  for (auto& [pid, h] : header) (header.count(h.parent) ? children[h.parent] : roots).push_back(pid);
  std::vector<std::uint64_t> order;
  const auto visit = [&](auto& self, std::uint64_t pid) -> void {
    order.push_back(pid);
    for (auto child : children[pid]) self(self, child);
  };
  for (auto root : roots) visit(visit, root);

  std::vector<RunProcess> processes;
  for (size_t n = 0; n < order.size(); ++n) {
    const std::uint64_t pid = order[n];
    RunProcess p{.order = n, .parent = std::nullopt, .pid = pid, .command = header[pid].command, .wrote_profile = false};
    if (auto at = std::find(order.begin(), order.end(), header[pid].parent); at != order.end())
      p.parent = static_cast<size_t>(at - order.begin());
    for (auto& kind : kinds_by_pid[pid]) {
      p.wrote_profile |= kind != ".valgrind.log";
      fs::rename(named(fmt::format("+pid{}", pid), kind), named(process_mark(n), kind));
    }
    processes.push_back(std::move(p));
  }
  return processes;
}

std::vector<fs::path> run_logs(const RunFiles& files) {
  std::vector<fs::path> logs;
  for (size_t n = 0; fs::exists(files.valgrind_log(n)); ++n) logs.push_back(files.valgrind_log(n));
  return logs;
}

std::vector<fs::path> profile_parts(const fs::path& profile) {
  std::vector<fs::path> parts;
  const std::string base = profile.filename().string();
  std::error_code ec;
  for (auto& e : fs::directory_iterator(profile.parent_path(), ec)) {
    const std::string n = e.path().filename().string();
    const bool numbered_part = n.size() > base.size() + 1 && n.starts_with(base + ".") &&
                               n.find_first_not_of("0123456789", base.size() + 1) == std::string::npos;
    if (n == base || numbered_part) parts.push_back(e.path());
  }
  std::sort(parts.begin(), parts.end());
  return parts;
}

} // namespace cibench

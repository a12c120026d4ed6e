#include "measure/syscall_trace.hpp"

#include "measure/syscall_table.hpp"
#include "util/utf8.hpp"
#include "util/whole_file.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <sys/stat.h>

namespace cibench {
namespace fs = std::filesystem;
namespace {

using namespace syscall_table;

const std::regex kLine(R"(^SYSCALL\[([0-9]+),([0-9]+)\]\(([0-9]+)\) (.*)$)");
const std::regex kOutcome(R"(--> (?:\[[a-z-]+\] )?(Success|Failure)\(0x([0-9a-f]+)\)\s*$)");
const std::regex kCall(R"(^sys_([a-z0-9_]+) \( ?(.*?) ?\)(?:\[[a-z]+\])? -->.*$)"); // "sys_getuid ( )" too

struct Arg {
  std::string number;            // as printed: "4294967196", "0x1ffefff6c0"
  std::optional<std::string> text; // "0xADDR(text)": a string argument
};

// The arguments of a call, or nullopt when they cannot be told apart with certainty.
std::optional<std::vector<Arg>> split_args(const std::string& s) {
  static const std::regex number(R"(^-?(?:0x[0-9a-f]+|[0-9]+))");
  std::vector<Arg> args;
  size_t pos = 0;
  while (pos <= s.size()) {
    std::smatch m;
    const std::string rest = s.substr(pos);
    if (!std::regex_search(rest, m, number)) return std::nullopt;
    Arg a{m.str(), std::nullopt};
    pos += m.length();
    if (pos < s.size() && s[pos] == '(') {
      // The string ends at the first ")" that ends the arguments or precedes the next one.
      size_t close = pos;
      for (;;) {
        close = s.find(')', close + 1);
        if (close == std::string::npos) return std::nullopt;
        if (close + 1 == s.size() || s.compare(close + 1, 2, ", ") == 0) break;
      }
      a.text = s.substr(pos + 1, close - pos - 1);
      if (a.text->find(')') != std::string::npos) return std::nullopt; // ambiguous: refuse to guess
      pos = close + 1;
    }
    args.push_back(std::move(a));
    if (pos == s.size()) return args;
    if (s.compare(pos, 2, ", ") != 0) return std::nullopt;
    pos += 2;
  }
  return std::nullopt;
}

long long as_number(const std::string& n) {
  try {
    return std::stoll(n, nullptr, n.rfind("0x", 0) == 0 || n.rfind("-0x", 0) == 0 ? 16 : 10);
  } catch (const std::exception&) {
    return -1;
  }
}

bool is_cwd_fd(const std::string& n) { return n == "4294967196" || n == "-100"; } // AT_FDCWD

struct Process {
  std::optional<fs::path> cwd;       // unknown after an untracked change
  std::map<long long, fs::path> fds; // descriptors opened by path, while open (relative: in the sandbox)
  struct Pending {
    std::string name;
    std::optional<fs::path> path; // of an open
  };
  std::map<std::string, Pending> pending; // by "pid,tid": an [async] call not yet returned
};

class LogReader {
public:
  // The top process's program is fingerprinted with its command line; a child's is looked up.
  LogReader(SyscallTrace& trace, const fs::path& sandbox, bool top_process, std::optional<fs::path> cwd,
            const std::set<fs::path>& given)
      : trace_(trace), sandbox_(sandbox), given_(given), skip_command_(top_process) {
    if (cwd) process_.cwd = *cwd;
  }

  void line(const std::string& l) {
    if (l.rfind("SYSCALL[", 0) != 0) {
      command(l);
      return;
    }
    std::smatch m;
    if (!std::regex_match(l, m, kLine)) return refuse("a system call line it cannot read: " + printable_line(l, 200));
    const std::string thread = m.str(1) + "," + m.str(2);
    const std::string rest = m.str(4);
    std::smatch outcome;
    const bool returned = std::regex_search(rest, outcome, kOutcome);
    const bool ok = returned && outcome.str(1) == "Success";
    const long long value = returned ? as_number("0x" + outcome.str(2)) : -1;
    if (rest.rfind("... [async]", 0) == 0) { // the outcome of an earlier call of this thread
      auto it = process_.pending.find(thread);
      if (it == process_.pending.end()) return;
      finish(it->second, ok, value);
      process_.pending.erase(it);
      return;
    }
    std::smatch call;
    if (!std::regex_match(rest, call, kCall)) {
      if (rest.rfind("sys_", 0) == 0 && names_files(rest.substr(4, rest.find(' ') - 4)))
        refuse("a system call it cannot read: " + printable_line(l, 200));
      return;
    }
    const std::string name = call.str(1);
    Process::Pending p{name, std::nullopt};
    if (!handle(name, call.str(2), p)) return;
    if (rest.find("[async] ...") != std::string::npos) process_.pending[thread] = std::move(p);
    else if (returned) finish(p, ok, value);
  }

private:
  static bool names_files(const std::string& name) {
    return signatures().count(name) || unprovable_calls().count(name) || name == "getdents64" || name == "getdents";
  }

  void refuse(const std::string& why) {
    if (trace_.unprovable.size() < 5) trace_.unprovable.push_back(why);
  }

  // "==123== Command: /usr/bin/cat /etc/hostname": a process of the tree ran that program.
  void command(const std::string& l) {
    const auto at = l.find("== Command: ");
    if (at == std::string::npos || l.rfind("==", 0) != 0) return;
    const std::string text = l.substr(at + 12);
    if (skip_command_) {
      skip_command_ = false;
      return;
    }
    // The program's path is followed by its arguments, both space-separated: the shortest prefix
    // that names a file is the program.
    for (size_t end = text.find(' '); ; end = text.find(' ', end + 1)) {
      const std::string candidate = text.substr(0, end);
      if (auto path = resolve(candidate, std::nullopt)) {
        struct stat st{};
        const std::string full = path->is_absolute() ? path->string() : (sandbox_ / *path).string();
        if (::stat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
          trace_.looked_up.insert(path->string());
          return;
        }
      }
      if (end == std::string::npos) break;
    }
    refuse("a child process ran a program it cannot find: " + printable_line(text, 200));
  }

  // Paths as the manifest keeps them: absolute outside the sandbox, relative inside it; nullopt
  // when the folder a relative path starts from is not known.
  std::optional<fs::path> resolve(const std::string& text, std::optional<std::string> dirfd) {
    fs::path p(text);
    if (p.is_relative()) {
      std::optional<fs::path> base = process_.cwd;
      if (dirfd && !is_cwd_fd(*dirfd)) {
        auto it = process_.fds.find(as_number(*dirfd));
        base = it == process_.fds.end() ? std::nullopt : std::optional(it->second);
      }
      if (base && base->is_relative()) base = sandbox_ / *base; // a folder of the sandbox
      if (!base) return std::nullopt;
      p = *base / p;
    }
    // "a/link/../b" is not "a/b" when `link` leads elsewhere: such a path is kept as the process
    // gave it, and observed later the way the kernel resolves it.
    if (std::find(p.begin(), p.end(), "..") == p.end()) p = p.lexically_normal();
    if (p == "/proc/self/exe") return fs::path("prog");
    const auto inside = p.lexically_relative(sandbox_);
    if (!inside.empty() && *inside.begin() != "..") {
      if (std::find(inside.begin(), inside.end(), "..") != inside.end()) return std::nullopt;
      return inside;
    }
    return p;
  }

  bool outside(const fs::path& p) const { return p.is_absolute() && !process_own(p.string()) && !given_.count(p); }

  // Records what one call names; false when there is nothing to wait for.
  bool handle(const std::string& name, const std::string& arg_text, Process::Pending& pending) {
    if (auto u = unprovable_calls().find(name); u != unprovable_calls().end()) {
      refuse(u->second);
      return false;
    }
    if (auto h = host_calls().find(name); h != host_calls().end()) {
      trace_.host.insert(h->second);
      return false;
    }
    const auto args = split_args(arg_text);
    if (name == "prlimit64" || name == "getrlimit") { // a limit can size the work: `ulimit -n` differs by machine
      const size_t at = name == "prlimit64" ? 1 : 0;
      if (!args || args->size() <= at) return refuse(fmt::format("a {} call it cannot read", name)), false;
      trace_.host.insert(fmt::format("rlimit {}", as_number((*args)[at].number)));
      return false;
    }
    if (name == "dup" || name == "dup2" || name == "dup3" || name == "fcntl") {
      if (!args || args->empty()) return false;
      if (name == "fcntl" && (args->size() < 2 || ((*args)[1].number != "0" && (*args)[1].number != "1030"))) return false;
      // The copy names what the original named, or nothing known: a later use of it is refused.
      auto it = process_.fds.find(as_number((*args)[0].number));
      pending.path = it == process_.fds.end() ? std::nullopt : std::optional(it->second);
      return true;
    }
    if (name == "getdents64" || name == "getdents") {
      if (!args || args->empty()) return refuse("a folder listing it cannot read"), false;
      auto it = process_.fds.find(as_number((*args)[0].number));
      if (it == process_.fds.end()) return refuse("it lists a folder opened in a way the trace does not show"), false;
      if (outside(it->second)) trace_.listed.insert(it->second.string());
      return false;
    }
    if (name == "close") {
      if (args && !args->empty()) process_.fds.erase(as_number((*args)[0].number));
      return false;
    }
    auto sig = signatures().find(name);
    if (sig == signatures().end()) return false;
    if (!args) return refuse(fmt::format("a {} call whose arguments it cannot read", name)), false;
    // A path holding "), " could pass for more arguments: then there are more strings than paths.
    if (std::count_if(args->begin(), args->end(), [](const Arg& a) { return a.text.has_value(); }) !=
        std::ptrdiff_t(sig->second.paths.size()))
      return refuse(fmt::format("a {} call whose arguments it cannot tell apart", name)), false;
    for (const PathArg& pa : sig->second.paths) {
      if (pa.path >= int(args->size()) || !(*args)[pa.path].text)
        return refuse(fmt::format("a {} call whose path it cannot read", name)), false;
      const std::string& text = *(*args)[pa.path].text;
      if (text.empty()) continue; // AT_EMPTY_PATH: the descriptor itself
      std::optional<std::string> dirfd;
      if (pa.dirfd >= 0 && pa.dirfd < int(args->size())) dirfd = (*args)[pa.dirfd].number;
      auto path = resolve(text, dirfd);
      if (!path) return refuse(fmt::format("a relative path ({}) from a folder it cannot tell", printable_line(text, 100))), false;
      if (reaches_elsewhere(path->string()))
        return refuse(fmt::format("it reaches {} through a process's folder or descriptor", printable_line(path->string(), 100))), false;
      switch (sig->second.use) {
      case Use::cwd:
        pending.path = *path;
        if (outside(*path)) trace_.looked_up.insert(path->string());
        break;
      case Use::change:
        if (outside(*path)) refuse(fmt::format("it changes {} (outside its folder)", printable_line(path->string(), 100)));
        break;
      case Use::link:
        if (outside(*path)) trace_.links.insert(path->string());
        break;
      case Use::look:
        if (outside(*path) || *path == "prog") trace_.looked_up.insert(path->string());
        break;
      case Use::open: {
        const long long flags = sig->second.flags < int(args->size()) ? as_number((*args)[sig->second.flags].number) : -1;
        constexpr long long writes = 01 | 02 | 0100 | 01000 | 02000; // O_WRONLY O_RDWR O_CREAT O_TRUNC O_APPEND
        if (flags < 0 || (flags & writes)) {
          if (outside(*path)) refuse(fmt::format("it writes {} (outside its folder)", printable_line(path->string(), 100)));
        } else if (outside(*path) || *path == "prog") {
          trace_.looked_up.insert(path->string());
        }
        pending.path = *path;
        break;
      }
      }
    }
    return sig->second.use == Use::open || sig->second.use == Use::cwd;
  }

  void finish(const Process::Pending& p, bool ok, long long value) {
    if (!ok) return;
    if (!p.path) { // a copy of a descriptor the trace knows nothing of
      process_.fds.erase(value);
      return;
    }
    if (p.name == "chdir") process_.cwd = p.path->is_absolute() ? *p.path : sandbox_ / *p.path;
    else process_.fds[value] = *p.path;
  }

  SyscallTrace& trace_;
  fs::path sandbox_;
  const std::set<fs::path>& given_;
  Process process_;
  bool skip_command_;
};


void read_log(SyscallTrace& trace, const std::string& text, const fs::path& sandbox, bool top_process, std::optional<fs::path> cwd,
              const std::set<fs::path>& given = {}) {
  LogReader reader(trace, sandbox, top_process, std::move(cwd), given);
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) reader.line(l);
}

} // namespace

void add_syscall_log(SyscallTrace& trace, const std::string& text, const fs::path& sandbox) {
  read_log(trace, text, sandbox, true, sandbox);
}

void add_syscall_trace(SyscallTrace& trace, const SyscallTrace& more) {
  trace.looked_up.insert(more.looked_up.begin(), more.looked_up.end());
  trace.listed.insert(more.listed.begin(), more.listed.end());
  trace.links.insert(more.links.begin(), more.links.end());
  trace.host.insert(more.host.begin(), more.host.end());
  trace.unprovable.insert(trace.unprovable.end(), more.unprovable.begin(), more.unprovable.end());
  trace.execs.insert(trace.execs.end(), more.execs.begin(), more.execs.end());
}

SyscallTrace read_syscall_trace(const std::vector<fs::path>& logs, const fs::path& sandbox, const fs::path& program,
                                const fs::path& folder, const std::set<fs::path>& given) {
  SyscallTrace trace;
  std::vector<std::string> texts, parents;
  std::map<std::string, std::string> command_of; // by pid
  bool folders_change = false;
  static const std::regex pid_line(R"(^==([0-9]+)== )"), parent_line(R"(== Parent PID: ([0-9]+))"),
      command_line(R"(== Command: ([^\n]*))");
  for (auto& log : logs) {
    texts.push_back(read_whole_file(log).value_or(""));
    std::smatch m;
    const std::string pid = std::regex_search(texts.back(), m, pid_line) ? m.str(1) : "";
    command_of[pid] = std::regex_search(texts.back(), m, command_line) ? m.str(1) : "";
    parents.push_back(std::regex_search(texts.back(), m, parent_line) ? m.str(1) : "");
    folders_change = folders_change || texts.back().find(" sys_chdir ") != std::string::npos;
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    const bool top = !command_of.count(parents[i]);
    // A process that ran exec: Valgrind's log of its new program replaces the old one's (the same
    // pid, the same file), so what it opened before the exec, a shell's redirections say, is lost.
    std::smatch m;
    const std::string command = std::regex_search(texts[i], m, command_line) ? m.str(1) : "";
    const bool top_execed = top && command.rfind((program.empty() ? sandbox / "prog" : program).string(), 0) != 0;
    if (top_execed || (!top && command != command_of[parents[i]])) {
      trace.unprovable.push_back(fmt::format("a process ran exec ({}): what it read before is not in Valgrind's log",
                                             printable_line(command, 100)));
      // Said for every process: a shell's fork-then-exec loses a few hundred instructions, a
      // program that worked and then ran exec loses that work, and the trace cannot tell which.
      trace.execs.push_back(printable_line(command, 200));
    }
    // A child starts in its parent's folder, known only when no process of the tree changes folder.
    const bool cwd_known = top || !folders_change;
    read_log(trace, texts[i], sandbox, top, cwd_known ? std::optional<fs::path>(sandbox / folder) : std::nullopt, given);
  }
  return trace;
}

} // namespace cibench

#pragma once
// What each system call in Valgrind's trace means for a run's manifest (syscall_trace.hpp): which
// arguments are paths and what the call does with them, which calls no file digest can prove
// unchanged, and which ask the kernel about the machine.
#include <map>
#include <string>
#include <vector>

namespace cibench::syscall_table {

enum class Use {
  look,   // its existence, type or content is seen (stat, access, execve)
  open,   // opened: read, or written when its flags say so
  link,   // a link's target is read (readlink)
  change, // changed (unlink, rename, mkdir, chmod): allowed only inside the sandbox
  cwd,    // the working folder becomes it (chdir)
};
struct PathArg {
  int path;
  int dirfd = -1; // -1: relative to the working folder
};
struct Signature {
  Use use;
  std::vector<PathArg> paths;
  int flags = -1; // open: the argument with O_* flags
};

// By the name Valgrind prints after "sys_".
const std::map<std::string, Signature>& signatures();
// Calls whose effect a fingerprint of files cannot capture, with why.
const std::map<std::string, std::string>& unprovable_calls();
// What the host tells a process that asks ("uname", "cpus", "user"), kept in the manifest.
const std::map<std::string, std::string>& host_calls();

// /proc/self/root/etc/x, /proc/1/cwd/x, /dev/fd/3/x: other files, reached through a process's
// folders or descriptors, which the trace cannot resolve.
bool reaches_elsewhere(const std::string& path);
// The process's own view of itself (/proc/self/maps) or a constant device: nothing to fingerprint.
bool process_own(const std::string& path);

} // namespace cibench::syscall_table

#include "measure/syscall_table.hpp"

#include <regex>

namespace cibench::syscall_table {

const std::map<std::string, Signature>& signatures() {
  static const std::map<std::string, Signature> table = {
      {"open", {Use::open, {{0}}, 1}},
      {"openat", {Use::open, {{1, 0}}, 2}},
      {"creat", {Use::change, {{0}}}},
      {"stat", {Use::look, {{0}}}},
      {"lstat", {Use::look, {{0}}}},
      {"newstat", {Use::look, {{0}}}},
      {"newlstat", {Use::look, {{0}}}},
      {"newfstatat", {Use::look, {{1, 0}}}},
      {"statx", {Use::look, {{1, 0}}}},
      {"access", {Use::look, {{0}}}},
      {"faccessat", {Use::look, {{1, 0}}}},
      {"faccessat2", {Use::look, {{1, 0}}}},
      {"execve", {Use::look, {{0}}}},
      {"execveat", {Use::look, {{1, 0}}}},
      {"readlink", {Use::link, {{0}}}},
      {"readlinkat", {Use::link, {{1, 0}}}},
      {"chdir", {Use::cwd, {{0}}}},
      {"unlink", {Use::change, {{0}}}},
      {"unlinkat", {Use::change, {{1, 0}}}},
      {"rename", {Use::change, {{0}, {1}}}},
      {"renameat", {Use::change, {{1, 0}, {3, 2}}}},
      {"renameat2", {Use::change, {{1, 0}, {3, 2}}}},
      {"mkdir", {Use::change, {{0}}}},
      {"mkdirat", {Use::change, {{1, 0}}}},
      {"rmdir", {Use::change, {{0}}}},
      {"truncate", {Use::change, {{0}}}},
      {"chmod", {Use::change, {{0}}}},
      {"fchmodat", {Use::change, {{1, 0}}}},
      {"chown", {Use::change, {{0}}}},
      {"lchown", {Use::change, {{0}}}},
      {"fchownat", {Use::change, {{1, 0}}}},
      {"utimensat", {Use::change, {{1, 0}}}},
      {"utimes", {Use::change, {{0}}}},
      {"mknod", {Use::change, {{0}}}},
      {"mknodat", {Use::change, {{1, 0}}}},
  };
  return table;
}

const std::map<std::string, std::string>& unprovable_calls() {
  static const std::map<std::string, std::string> table = {
      {"socket", "it opens a socket (network or IPC): what the peer answers is not in any file"},
      {"socketpair", "it opens a socket pair: what passes through it is not in any file"},
      {"openat2", "it opens a file with openat2, whose flags the trace does not show"},
      {"sysinfo", "it asks the kernel for memory and load figures (sysinfo)"},
      {"statfs", "it asks for a file system's free space (statfs)"},
      {"fstatfs", "it asks for a file system's free space (fstatfs)"},
      {"fchdir", "it changes its folder by descriptor (fchdir)"},
      {"name_to_handle_at", "it opens files by handle"},
      {"open_by_handle_at", "it opens files by handle"},
      {"io_uring_setup", "it uses io_uring, whose file operations the trace does not show"},
      {"symlink", "it creates a symbolic link (what it points to is read through it unseen)"},
      {"symlinkat", "it creates a symbolic link (what it points to is read through it unseen)"},
      {"link", "it creates a hard link"},
      {"linkat", "it creates a hard link"},
      {"getxattr", "it reads extended attributes"},
      {"lgetxattr", "it reads extended attributes"},
      {"fgetxattr", "it reads extended attributes"},
      {"listxattr", "it reads extended attributes"},
      {"llistxattr", "it reads extended attributes"},
      {"flistxattr", "it reads extended attributes"},
      {"mount", "it mounts a file system"},
      {"chroot", "it changes its root folder"},
      {"pivot_root", "it changes its root folder"},
  };
  return table;
}

const std::map<std::string, std::string>& host_calls() {
  static const std::map<std::string, std::string> table = {
      {"uname", "uname"},   {"sched_getaffinity", "cpus"}, {"getuid", "user"},    {"geteuid", "user"},
      {"getresuid", "user"}, {"getgid", "group"},          {"getegid", "group"},  {"getresgid", "group"},
      {"getgroups", "groups"}};
  return table;
}

bool reaches_elsewhere(const std::string& path) {
  static const std::regex through(R"(^/proc/(self|thread-self|[0-9]+)/(root|cwd|fd|map_files|task)(/.*)?$|^/dev/fd/[0-9]+/.*$)");
  return std::regex_match(path, through);
}

bool process_own(const std::string& path) {
  static const std::regex own(R"(^/proc/(self|thread-self|[0-9]+)(/.*)?$|^/dev/(null|zero|full|tty|stdin|stdout|stderr|fd/[0-9]+)$)");
  return std::regex_match(path, own) && !reaches_elsewhere(path);
}

} // namespace cibench::syscall_table

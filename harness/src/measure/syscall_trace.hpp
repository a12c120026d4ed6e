#pragma once
// What a process tree touched outside itself, read from Valgrind's own account of it: the logs of
// a run with --trace-syscalls=yes (one log per process). This is what reuse must re-check to prove
// that a benchmark would count what its baseline counted (run_manifest.hpp).
//
// Valgrind prints each system call of the client with its arguments, path arguments as
// "0xADDR(path)", and its outcome on the same line or, for a blocking call, on a later
// "... [async] --> Success(0x3)" line of the same thread. A line this parser cannot read with
// certainty makes the whole trace unprovable: a benchmark is then always measured, never reused.
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace cibench {

struct SyscallTrace {
  std::set<std::string> looked_up; // absolute paths whose existence, type or content the tree saw
  std::set<std::string> listed;    // folders whose entries it read (getdents64)
  std::set<std::string> links;     // symbolic links whose target it read (readlink)
  std::set<std::string> host;      // what of the host it asked for: "uname", "cpus"
  std::vector<std::string> unprovable; // why reuse can never be proved for this run, if it cannot
  // Processes that replaced their program with exec: Valgrind writes no counts for a program image
  // that execs, so the work before it is in no figure (a program that re-executes itself with the
  // same command line cannot be told from one that did not).
  std::vector<std::string> execs;
};

// `sandbox`: paths under it are the sandbox's own (the program link and the declared inputs,
// fingerprinted as such) and are reported relative to it ("prog", "data/x"), as are relative paths
// of a process whose folder is known. The top process started in `folder` of the sandbox, as the
// program linked at `program` (default: sandbox/prog; anything else it ran is an exec). `given`:
// files outside the sandbox that ci-bench gave the process (a served child's output files).
SyscallTrace read_syscall_trace(const std::vector<std::filesystem::path>& logs, const std::filesystem::path& sandbox,
                                const std::filesystem::path& program = {}, const std::filesystem::path& folder = {},
                                const std::set<std::filesystem::path>& given = {});

// Adds `more` to `trace`: a served child's own trace to its program's start-up (serve_run.hpp).
void add_syscall_trace(SyscallTrace& trace, const SyscallTrace& more);

// The same for the text of one log (tests, fuzzing).
void add_syscall_log(SyscallTrace& trace, const std::string& text, const std::filesystem::path& sandbox);

} // namespace cibench

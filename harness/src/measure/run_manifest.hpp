#pragma once
// The manifest of a run: everything outside the sandbox that the measured process tree saw, each
// with what it was then (ccache's direct mode keeps the same for the headers a compile read). The
// baseline keeps it; reuse observes every entry again and measures whenever one differs.
//
// Entries, by key:
//   "path /usr/lib/x86_64-linux-gnu/libstdc++.so.6"  its type, and a file's content: "file <sha256>",
//                                                    "folder", "missing", "device", ...
//   "list /data/set"                                  a folder the tree read the entries of
//   "link /etc/alternatives/cc"                       a symbolic link whose target it read
//   "prog"                                            the program file whole (the run read its own file)
//   "ld.so.cache libc.so.6 libm.so.6"                 what the loader's cache says of those names
//   "host uname", "host cpus"                         what the kernel told it of the machine
#include "measure/syscall_trace.hpp"

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

using RunManifest = std::map<std::string, std::string>;

// Observes paths as they are now, each once per ci-bench run (many benchmarks share their
// libraries); safe to share between threads.
class Observer {
public:
  // The observation for a manifest key; `program` stands for "prog".
  std::string observe(const std::string& key, const std::filesystem::path& program);

private:
  std::string observe_uncached(const std::string& key);
  std::mutex mutex_;
  std::map<std::string, std::string> seen_;
};

// The manifest of a run from its trace, or why none can be made (`unprovable`, not empty).
struct ManifestOrReasons {
  RunManifest manifest;
  std::vector<std::string> unprovable;
  std::vector<std::string> execs; // SyscallTrace::execs: programs whose earlier image counted nothing
};
ManifestOrReasons make_manifest(const SyscallTrace& trace, const std::filesystem::path& program, Observer& observer);

// The first entry that is not what it was ("/lib/libfoo.so: file 3fa2… then file 91c0…"), or
// nullopt when every entry is unchanged.
std::optional<std::string> manifest_change(const RunManifest& manifest, const std::filesystem::path& program, Observer& observer);

// What /etc/ld.so.cache says of these sonames, in its order (a digest); the whole file's digest
// when its format is not one this reads.
std::string ld_cache_entries(const std::filesystem::path& cache, const std::vector<std::string>& names);

} // namespace cibench

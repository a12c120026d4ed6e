#include "measure/run_manifest.hpp"

#include "util/sha256.hpp"
#include "util/utf8.hpp"
#include "util/whole_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sched.h>
#include <set>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace cibench {
namespace fs = std::filesystem;
namespace {

constexpr const char* kLdCache = "/etc/ld.so.cache";

// What a symbolic link holds; nullopt when `path` is none (errno says why).
std::optional<std::string> link_target(const std::string& path) {
  std::vector<char> target(4096);
  const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
  if (n < 0) return std::nullopt;
  return std::string(target.data(), static_cast<size_t>(n));
}

// A file's content, read without following it into anything that could block: FIFOs, devices
// and sockets are described, never opened.
std::string file_observation(const std::string& path) {
  // What lstat() and stat() tell besides the content: a link where a file was (and where it
  // leads), the mode bits, the owner and a file's link count. Not the inode, blocks or a folder's
  // size, which differ between file systems and machines for the same content.
  struct stat own{};
  std::string link;
  if (::lstat(path.c_str(), &own) == 0 && S_ISLNK(own.st_mode)) {
    const auto target = link_target(path);
    link = fmt::format("link {} to ", target ? sha256_hex(*target).substr(0, 16) : std::string("unreadable"));
  }
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return errno == ENOENT || errno == ENOTDIR ? link + "missing" : fmt::format("unreadable {}", errno);
  // A folder's link count is its number of subfolders: /tmp's changes all the time, so a program
  // that only checks that /tmp exists (SQLite) would never be reused. A file's counts hard links.
  const std::string mode = fmt::format(" mode {:o} owner {}:{}", st.st_mode & 07777, st.st_uid, st.st_gid);
  if (S_ISDIR(st.st_mode)) return link + "folder" + mode;
  const std::string links = fmt::format(" links {}", st.st_nlink);
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return fmt::format("{}device {}:{}", link, major(st.st_rdev), minor(st.st_rdev));
  if (!S_ISREG(st.st_mode)) return link + (S_ISFIFO(st.st_mode) ? "fifo" : "socket");
  const auto digest = file_sha256(path);
  if (!digest) return fmt::format("unreadable {}", errno);
  return link + "file " + *digest + mode + links;
}

// A folder's entries with their types, in the order readdir() gives them: a program that takes
// the first entry sees that order (on ext4 a hash of the names, seeded per file system).
std::string listing_observation(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (!dir) return errno == ENOENT || errno == ENOTDIR ? "missing" : fmt::format("unreadable {}", errno);
  std::vector<std::string> entries;
  while (const dirent* e = ::readdir(dir)) entries.push_back(fmt::format("{}\t{}", e->d_name, int(e->d_type)));
  ::closedir(dir);
  Sha256 hash;
  for (auto& e : entries) hash.field(e);
  return "entries " + hash.hex();
}

std::string link_observation(const std::string& path) {
  const auto target = link_target(path);
  if (!target) return errno == EINVAL ? "not a link" : errno == ENOENT ? "missing" : fmt::format("unreadable {}", errno);
  return "target " + sha256_hex(*target);
}

std::string host_observation(const std::string& what) {
  if (what == "uname") {
    struct utsname u{};
    ::uname(&u);
    return fmt::format("{} {} {} {}", u.sysname, u.release, u.version, u.machine);
  }
  if (what.rfind("rlimit ", 0) == 0) {
    struct rlimit limit{};
    const int resource = std::atoi(what.c_str() + 7);
    if (::getrlimit(resource, &limit) != 0) return "unknown";
    return fmt::format("{} {}", limit.rlim_cur, limit.rlim_max);
  }
  if (what == "user") return fmt::format("{} {}", ::getuid(), ::geteuid());
  if (what == "group") return fmt::format("{} {}", ::getgid(), ::getegid());
  if (what == "groups") {
    std::vector<gid_t> groups(static_cast<size_t>(std::max(0, ::getgroups(0, nullptr))));
    const int n = ::getgroups(static_cast<int>(groups.size()), groups.data());
    return n < 0 ? "unknown" : fmt::format("{}", fmt::join(groups.begin(), groups.begin() + n, ","));
  }
  if (what == "cpus") {
    cpu_set_t set;
    CPU_ZERO(&set);
    return ::sched_getaffinity(0, sizeof set, &set) == 0 ? fmt::format("{} processors", CPU_COUNT(&set)) : "unknown";
  }
  return "unknown";
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    if (end > pos) out.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

} // namespace

std::string ld_cache_entries(const fs::path& cache, const std::vector<std::string>& names) {
  const std::string whole = file_observation(cache.string());
  const std::string bytes = whole.rfind("file ", 0) == 0 ? read_whole_file(cache).value_or("") : "";
  // glibc's format "glibc-ld.so.cache1.1": a 48-byte header (entry count at 20, string bytes at 24)
  // and 24-byte entries {flags, key offset, value offset, unused, hwcap}; offsets from the start.
  constexpr std::string_view magic = "glibc-ld.so.cache1.1";
  if (bytes.size() < 48 || bytes.compare(0, magic.size(), magic) != 0) return whole;
  auto u32 = [&](size_t at) { std::uint32_t v; std::memcpy(&v, bytes.data() + at, 4); return v; };
  auto u64 = [&](size_t at) { std::uint64_t v; std::memcpy(&v, bytes.data() + at, 8); return v; };
  auto string_at = [&](std::uint32_t at) -> std::optional<std::string> {
    if (at >= bytes.size()) return std::nullopt;
    const size_t end = bytes.find('\0', at);
    return end == std::string::npos ? std::nullopt : std::optional(bytes.substr(at, end - at));
  };
  const std::uint32_t count = u32(20);
  if (count > (bytes.size() - 48) / 24) return whole;
  const std::set<std::string> wanted(names.begin(), names.end());
  Sha256 hash;
  for (std::uint32_t i = 0; i < count; ++i) {
    const size_t at = 48 + size_t(i) * 24;
    const auto key = string_at(u32(at + 4)), value = string_at(u32(at + 8));
    if (!key || !value) return whole;
    if (wanted.count(*key)) hash.field(fmt::format("{} {} {} {}", *key, u32(at), u64(at + 16), *value));
  }
  return "entries " + hash.hex();
}

std::string Observer::observe(const std::string& key, const fs::path& program) {
  if (key == "prog") return file_observation(program.string()); // per benchmark: not shared
  {
    std::lock_guard lock(mutex_);
    if (auto it = seen_.find(key); it != seen_.end()) return it->second;
  }
  std::string value = observe_uncached(key);
  std::lock_guard lock(mutex_);
  return seen_.try_emplace(key, std::move(value)).first->second;
}

std::string Observer::observe_uncached(const std::string& key) {
  const auto space = key.find(' ');
  const std::string kind = key.substr(0, space), rest = space == std::string::npos ? "" : key.substr(space + 1);
  if (kind == "path") return file_observation(rest);
  if (kind == "list") return listing_observation(rest);
  if (kind == "link") return link_observation(rest);
  if (kind == "host") return host_observation(rest);
  if (kind == "ld.so.cache") return ld_cache_entries(kLdCache, words(rest));
  return "unknown entry";
}

ManifestOrReasons make_manifest(const SyscallTrace& trace, const fs::path& program, Observer& observer) {
  ManifestOrReasons out;
  out.unprovable = trace.unprovable;
  out.execs = trace.execs;
  std::vector<std::string> keys;
  std::set<std::string> sonames; // every name the loader may have looked up in its cache
  for (auto& path : trace.looked_up) {
    if (path == kLdCache) continue;
    keys.push_back(path == "prog" ? "prog" : "path " + path);
    if (const std::string name = fs::path(path).filename().string(); name.find(".so") != std::string::npos)
      sonames.insert(name);
  }
  if (trace.looked_up.count(kLdCache)) {
    std::string key = "ld.so.cache";
    for (auto& name : sonames) key += " " + name;
    keys.push_back(key);
  }
  for (auto& path : trace.listed) keys.push_back("list " + path);
  for (auto& path : trace.links) keys.push_back("link " + path);
  for (auto& what : trace.host) keys.push_back("host " + what);
  for (auto& key : keys) {
    if (valid_utf8(key) != key || key.find_first_of("\n\t") != std::string::npos) {
      out.unprovable.push_back("it reads a path that is not printable UTF-8");
      continue;
    }
    const std::string value = observer.observe(key, program);
    // A file that was there during the run and cannot be read now would never prove anything.
    if (value.rfind("unreadable", 0) == 0) out.unprovable.push_back(fmt::format("{} is {}", key, value));
    out.manifest[key] = value;
  }
  if (!out.unprovable.empty()) out.manifest.clear();
  return out;
}

std::optional<std::string> manifest_change(const RunManifest& manifest, const fs::path& program, Observer& observer) {
  for (auto& [key, was] : manifest) {
    const std::string now = observer.observe(key, program);
    if (now != was) return fmt::format("{}: {} then {}", key, was, now);
  }
  return std::nullopt;
}

} // namespace cibench

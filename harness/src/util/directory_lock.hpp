#pragma once
// An exclusive lock on a folder (flock on the folder itself: no lock file to leave behind), so two
// runs never write one --out or one baseline folder at once. Released when destroyed or when the
// process dies.
#include <filesystem>
#include <string>

namespace cibench {

class DirectoryLock {
public:
  // Waits for the lock, saying once on stderr what it waits for (`what`: "--out folder"). Throws
  // Error(io) when the folder cannot be opened, Error(interrupted) as soon as `stop` says so (it is
  // asked every few milliseconds while waiting), without holding the lock.
  DirectoryLock(const std::filesystem::path& dir, const std::string& what, bool (*stop)());
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

private:
  int fd_ = -1;
};

} // namespace cibench

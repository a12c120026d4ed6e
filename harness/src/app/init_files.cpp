#include "app/init_files.hpp"

#include "util/atomic_file.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <sys/stat.h>

namespace cibench {
namespace fs = std::filesystem;
namespace {

// Every folder from the top of `dir` down to each file's, each once, outermost first.
std::vector<fs::path> folders_on_the_way(const fs::path& dir, const std::vector<StarterFile>& files) {
  std::vector<fs::path> folders;
  const auto add_down_to = [&](const fs::path& deepest) {
    fs::path folder;
    for (auto& part : deepest) {
      folder /= part;
      if (std::find(folders.begin(), folders.end(), folder) == folders.end()) folders.push_back(folder);
    }
  };
  add_down_to(dir);
  for (auto& f : files) add_down_to(dir / fs::path(f.path).parent_path());
  return folders;
}

// Undoes a write that failed part-way: the files it put in place, then the folders it created,
// innermost first. Best effort: the error that stopped the write is what the user must see.
void remove_written(const std::vector<fs::path>& files, const std::vector<fs::path>& folders) {
  std::error_code ignored;
  for (auto& f : files) fs::remove(f, ignored);
  for (auto it = folders.rbegin(); it != folders.rend(); ++it) fs::remove(*it, ignored);
}

} // namespace

std::vector<std::string> init_obstacles(const fs::path& dir, const std::vector<StarterFile>& files) {
  std::vector<std::string> found;
  for (auto& folder : folders_on_the_way(dir, files)) {
    std::error_code ec;
    const auto target = fs::status(folder, ec);
    if (fs::is_directory(target) || !fs::exists(fs::symlink_status(folder, ec))) continue;
    found.push_back(fs::is_symlink(fs::symlink_status(folder, ec)) && !fs::exists(target)
                        ? fmt::format("{} is a symbolic link to nothing (init needs a folder there)", folder.string())
                        : fmt::format("{} is not a folder (init needs one there)", folder.string()));
  }
  for (auto& f : files) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(dir / f.path, ec))) found.push_back(fmt::format("{} exists", (dir / f.path).string()));
  }
  return found;
}

void write_starter_files(const fs::path& dir, const std::vector<StarterFile>& files) {
  std::vector<fs::path> created_folders, written_files;
  try {
    for (auto& folder : folders_on_the_way(dir, files)) {
      if (::mkdir(folder.c_str(), 0777) == 0) created_folders.push_back(folder);
      else if (errno != EEXIST) throw Error(ErrorKind::io, fmt::format("cannot create {}: {}", folder.string(), std::strerror(errno)));
    }
    std::vector<StagedFile> staged; // every file in full beside its place before any is put there
    for (auto& f : files) staged.emplace_back(dir / f.path, f.content);
    for (auto& file : staged) {
      file.commit_new();
      written_files.push_back(file.path());
    }
  } catch (const Error&) {
    remove_written(written_files, created_folders);
    throw;
  }
}

} // namespace cibench

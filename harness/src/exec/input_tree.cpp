#include "exec/input_tree.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <set>
#include <sys/stat.h>
#include <utility>

namespace cibench {
namespace fs = std::filesystem;
namespace {

struct Walk {
  const fs::path& input;
  const std::string& where;
  std::vector<InputEntry> entries;
  std::set<std::pair<dev_t, ino_t>> open_folders; // the folders being walked: a link back to one loops

  [[noreturn]] void fail(const fs::path& path, const std::string& what) const {
    throw Error(ErrorKind::setup, fmt::format("input {}{} {} ({})", input.string(),
                                              path == input ? "" : fmt::format(" (at {})", path.string()), what, where));
  }

  void visit(const fs::path& path, const fs::path& relative) {
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) {
      if (path == input && errno == ENOENT) fail(path, "does not exist; inputs are relative to the config's folder");
      fail(path, errno == ELOOP ? "is a symbolic link that loops" : fmt::format("cannot be read: {}", std::strerror(errno)));
    }
    if (S_ISREG(st.st_mode)) {
      entries.push_back({path, relative, false});
      return;
    }
    if (!S_ISDIR(st.st_mode))
      fail(path, fmt::format("is a {}, not a file or folder: a workload reading it could block or never end",
                             S_ISFIFO(st.st_mode) ? "FIFO" : S_ISSOCK(st.st_mode) ? "socket" : "device"));
    if (!open_folders.insert({st.st_dev, st.st_ino}).second) fail(path, "is a symbolic link to a folder that contains it");
    entries.push_back({path, relative, true});
    std::vector<fs::path> children;
    std::error_code ec;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) children.push_back(it->path().filename());
    if (ec) fail(path, "cannot be listed: " + ec.message());
    std::sort(children.begin(), children.end());
    for (auto& child : children) visit(path / child, relative / child);
    open_folders.erase({st.st_dev, st.st_ino});
  }
};

} // namespace

std::vector<InputEntry> walk_input(const fs::path& input, const std::string& where) {
  Walk walk{input, where, {}, {}};
  walk.visit(input, input.filename());
  return std::move(walk.entries);
}

} // namespace cibench

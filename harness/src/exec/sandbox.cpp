#include "exec/sandbox.hpp"

#include "exec/input_tree.hpp"
#include "util/error.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <unistd.h>

namespace cibench {
namespace fs = std::filesystem;

fs::path work_folder() { return "b0000"; }

Sandbox::Sandbox() {
  char tmpl[] = "/tmp/.cibench-XXXXXX"; // not $TMPDIR: its length differs between machines
  if (!::mkdtemp(tmpl)) throw Error(ErrorKind::io, fmt::format("cannot create a sandbox in /tmp: {}", std::strerror(errno)));
  dir_ = tmpl;
}

Sandbox::~Sandbox() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

fs::path Sandbox::link_program(const fs::path& program, const std::string& build_hint) const {
  if (::access(program.c_str(), X_OK) != 0)
    throw Error(ErrorKind::setup, fmt::format("{}: {}: build it first{}, or fix the command in the config", program.string(),
                            errno == ENOENT ? "no such program" : std::strerror(errno), build_hint));
  fs::path link = dir_ / "prog";
  std::error_code ec;
  fs::create_symlink(fs::absolute(program), link, ec);
  if (ec) throw Error(ErrorKind::setup, fmt::format("cannot link {} into the sandbox: {}", program.string(), ec.message()));
  return link;
}

} // namespace cibench

namespace cibench {

void Sandbox::copy_inputs(const std::vector<fs::path>& inputs, const std::string& where, const fs::path& folder) const {
  const fs::path into = dir_ / folder;
  if (!folder.empty()) {
    std::error_code ec;
    fs::create_directories(into, ec);
    if (ec) throw Error(ErrorKind::io, fmt::format("cannot create {} in the sandbox: {}", folder.string(), ec.message()));
  }
  for (auto& input : inputs)
    for (auto& entry : walk_input(input, where)) {
      std::error_code ec;
      if (entry.folder) fs::create_directory(into / entry.relative, ec);
      else fs::copy_file(entry.source, into / entry.relative, ec);
      if (ec) throw Error(ErrorKind::setup, fmt::format("cannot copy input {} into the sandbox ({}): {}",
                                                        entry.source.string(), where, ec.message()));
    }
}

} // namespace cibench

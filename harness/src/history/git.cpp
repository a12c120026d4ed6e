#include "history/git.hpp"

#include "exec/process.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

extern char** environ;

namespace cibench {
namespace fs = std::filesystem;
namespace {

// A temporary file removed when it goes out of scope.
struct TempFile {
  fs::path path;
  TempFile() {
    std::string tmpl = (fs::temp_directory_path() / "ci-bench-git-XXXXXX").string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw Error(ErrorKind::io, fmt::format("cannot create a temporary file in {}", fs::temp_directory_path().string()));
    ::close(fd);
    path = tmpl;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
  std::string read() const {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return std::move(s).str();
  }
};

struct GitRun {
  ProcessResult result;
  std::string out, err;
};

GitRun run_git(const fs::path& dir, const std::vector<std::string>& args) {
  TempFile out, err;
  ProcessSpec spec;
  spec.argv = {find_on_path("git").string()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  for (char** e = environ; *e; ++e) spec.env.emplace_back(*e); // git is a tool here, not a workload
  spec.cwd = dir;
  spec.stdout_file = out.path;
  spec.stderr_file = err.path;
  spec.timeout = std::chrono::minutes(5);
  spec.no_aslr = false;
  spec.output_cap = std::size_t(1) << 30; // a long history's log
  GitRun run{run_process(spec), {}, {}};
  run.out = out.read();
  run.err = err.read();
  return run;
}

} // namespace

std::optional<std::string> git_output(const fs::path& dir, const std::vector<std::string>& args) {
  try {
    auto run = run_git(dir, args);
    if (!run.result.ok()) return std::nullopt;
    return std::move(run.out);
  } catch (const Error&) { // git missing, or the run interrupted (which the caller reports)
    return std::nullopt;
  }
}

std::string git_or_throw(const fs::path& dir, const std::vector<std::string>& args) {
  auto run = run_git(dir, args);
  if (!run.result.ok()) {
    // Named by its first word that is not an option ("log", not "-c").
    const auto command = std::find_if(args.begin(), args.end(), [](const std::string& a) {
      return !a.starts_with('-') && a.find('=') == std::string::npos;
    });
    throw Error(ErrorKind::setup, fmt::format("git {} in {} {}: {}", command == args.end() ? "" : *command, dir.string(),
                                              run.result.describe(), printable_line(run.err, 400)));
  }
  return std::move(run.out);
}

} // namespace cibench

#pragma once
// `ci-bench init [DIR]`: a starter ci-bench.toml, an example benchmark with its CMake, and the
// GitHub workflows, then the next three commands (paths shell-quoted). The workflows run on DIR's
// default branch (from git), and the build folder is `build` unless git tracks a folder of that
// name. Never overwrites: if any of the files exists, or a folder on their way is not one, it names
// them, writes nothing and returns 2; a write that fails part-way is undone (app/init_files.hpp).
// --update rewrites the files init wrote that nobody edited since (each ends with init's mark).
#include <filesystem>
#include <string>

namespace cibench {

struct InitOptions {
  std::filesystem::path dir = ".";
  std::string repository; // ci-bench on GitHub, OWNER/NAME, for the workflows
  std::string ref;        // the tag or commit the workflows pin
  bool update = false;    // rewrite unedited files init wrote, write missing ones, leave the rest
};

int init_project(const InitOptions& options);

} // namespace cibench

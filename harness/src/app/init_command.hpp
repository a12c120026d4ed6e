#pragma once
// `ci-bench init [DIR]`: a starter ci-bench.toml, an example benchmark with its CMake, and the
// GitHub workflows, then the next three commands (paths shell-quoted). The workflows run on DIR's
// default branch (from git), and the build folder is `build` unless git tracks a folder of that
// name. Never overwrites: if any of the files exists, or a folder on their way is not one, it names
// them, writes nothing and returns 2; a write that fails part-way is undone (app/init_files.hpp).
// --update rewrites the files init wrote that nobody edited since (each ends with init's mark).
// The workflows pin ci-bench by full commit SHA, by default the one this driver was built from
// (app/init_source_pin.hpp); a tag or branch is refused, as either can be moved.
#include <filesystem>
#include <string>

namespace cibench {

struct InitOptions {
  std::filesystem::path dir = ".";
  std::string repository; // ci-bench on GitHub, OWNER/NAME, for the workflows; "": this build's
  std::string ref;        // the full commit SHA the workflows pin; "": the commit of this build
  std::string tag;        // the tag of that commit, a comment beside it; "": this build's, if it is that commit
  std::string container;  // the image CI measures in, best by digest (NAME@sha256:...); "": debian:12
  bool update = false;    // rewrite unedited files init wrote, leave edited and removed ones
};

int init_project(const InitOptions& options);

} // namespace cibench

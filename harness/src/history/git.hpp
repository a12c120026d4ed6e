#pragma once
// git, run as a program (argv, never a shell) in a folder, for what history needs of a checkout.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

// git's stdout, or nullopt when git is missing, the folder is not in a checkout, git fails, or the
// run was interrupted (no process starts then: an interrupted run still writes its results).
std::optional<std::string> git_output(const std::filesystem::path& dir, const std::vector<std::string>& args);

// The same, but a failure throws Error(setup) with git's own message.
std::string git_or_throw(const std::filesystem::path& dir, const std::vector<std::string>& args);

} // namespace cibench

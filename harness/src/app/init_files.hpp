#pragma once
// How `ci-bench init` puts its starter files in place: every target is checked before anything is
// written, then all of them are written or none (a failure part-way removes what was written), so
// that a failed init leaves the folder as it was and can simply be run again.
#include "app/init_templates.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cibench {

// What stands in the way, one sentence per path: a starter file that exists (init never
// overwrites one), or a folder on the way to one that is something else (a file, or a symbolic link
// to nothing). Empty when every file can be written.
std::vector<std::string> init_obstacles(const std::filesystem::path& dir, const std::vector<StarterFile>& files);

// Writes every file under `dir`, creating the folders they need. Throws Error(io) having removed
// whatever it had written or created.
void write_starter_files(const std::filesystem::path& dir, const std::vector<StarterFile>& files);

} // namespace cibench

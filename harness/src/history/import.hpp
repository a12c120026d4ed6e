#pragma once
// Points from outside a live run: results.json files (CI artifacts), and the git history of the
// baseline folder (each commit that changed it is a point with the baselines it then held), so a
// project has its past trend on the day it starts recording.
#include "history/point.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cibench {

// The file's own "commit" (written by `run`) wins over `otherwise` (from --commit or git).
// Throws Error(parse) naming the file.
HistoryPoint point_of_results_json(const std::filesystem::path& file, const std::string& config_name,
                                   const CommitInfo& otherwise);

// One point per commit that changed `baseline_dir`, oldest first, following first parents from
// HEAD; each carries every baseline the folder held at that commit, status "baseline". Runs git
// in the folder; throws Error(setup) when it is not in a checkout.
std::vector<HistoryPoint> points_of_baseline_history(const std::filesystem::path& baseline_dir,
                                                     const std::string& config_name, const std::string& branch);

} // namespace cibench

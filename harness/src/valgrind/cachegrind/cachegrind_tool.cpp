#include "valgrind/cachegrind/cachegrind_tool.hpp"

#include "valgrind/cachegrind/cachegrind_parser.hpp"

#include <fstream>

namespace cibench {
namespace {

class Cachegrind final : public ValgrindTool {
public:
  std::string_view name() const override { return "cachegrind"; }

  std::vector<std::string> arguments(const ValgrindSettings& s, const RunFiles& files,
                                     bool /*region_only: needs client requests, which 3.19 lacks*/) const override {
    return counting_arguments(s, files.profile_option("--cachegrind-out-file="));
  }

  bool counts_region_in_one_run() const override { return false; }

  Profile read(const std::filesystem::path& profile) const override { return parse_cachegrind_file(profile); }

  bool wrote(const std::filesystem::path& file) const override {
    std::ifstream in(file);
    std::string first;
    std::getline(in, first);
    return first.starts_with("desc:");
  }
};

} // namespace

const ValgrindTool& cachegrind_tool() {
  static const Cachegrind tool;
  return tool;
}

} // namespace cibench

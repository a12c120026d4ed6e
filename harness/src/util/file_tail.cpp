#include "file_tail.hpp"

#include <fstream>
#include <vector>

namespace cibench {

std::string last_lines(const std::filesystem::path& file, size_t max_lines) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::string out;
  for (size_t i = lines.size() > max_lines ? lines.size() - max_lines : 0; i < lines.size(); ++i)
    out += "  | " + lines[i].substr(0, 300) + "\n";
  return out;
}

} // namespace cibench

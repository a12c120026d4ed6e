#include "util/file_tail.hpp"

#include "util/utf8.hpp"

#include <fstream>
#include <vector>

namespace cibench {

std::string last_lines(const std::filesystem::path& file, size_t max_lines) {
  std::ifstream in(file, std::ios::binary);
  // Only the end is read: a workload may have written hundreds of megabytes.
  constexpr std::streamoff kTail = 64 * 1024;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size > kTail) {
    in.seekg(size - kTail);
    std::string partial;
    std::getline(in, partial); // the first line may start mid-way
  } else {
    in.seekg(0);
  }
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::string out;
  for (size_t i = lines.size() > max_lines ? lines.size() - max_lines : 0; i < lines.size(); ++i) {
    out += "  | " + printable_line(lines[i], 300) + "\n";
  }
  return out;
}

} // namespace cibench

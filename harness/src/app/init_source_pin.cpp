#include "app/init_source_pin.hpp"

#include "util/whole_file.hpp"

#include <sstream>

namespace cibench {

SourcePin source_pin_of(const std::filesystem::path& driver) {
  SourcePin pin;
  pin.file = driver.parent_path() / CIBENCH_SOURCE_PIN_FROM_BIN;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(pin.file, ec) || std::filesystem::file_size(pin.file, ec) > 4096) return pin;
  const auto text = read_whole_file(pin.file);
  if (!text) return pin;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "repository") pin.repository = value;
    else if (key == "commit") pin.commit = value;
    else if (key == "tag") pin.tag = value;
    else if (key == "modified") pin.modified = value == "yes";
  }
  return pin;
}

} // namespace cibench

#pragma once
// Reads a cachegrind.out file (format: Valgrind manual, "Cachegrind output file format").
#include "metrics.hpp"

#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>
#include <vector>

namespace cibench {

struct FunctionCost {
  std::string file;
  std::string function;
  std::vector<std::uint64_t> costs; // one per event, self cost
};

struct CachegrindProfile {
  std::vector<std::string> desc;
  std::string cmd;
  std::vector<std::string> events;
  std::vector<std::uint64_t> totals; // the `summary:` line, checked against the cost lines
  std::vector<FunctionCost> functions;

  // The totals by event name.
  Metrics totals_by_event() const;
};

// Throws Error naming `source` and the line when the text is not a well-formed profile: a missing
// or repeated header, a count that is not a number or does not fit 64 bits, more counts than
// events, a cost line outside a function, or a summary that disagrees with the cost lines.
CachegrindProfile parse_cachegrind(std::istream& in, const std::string& source);
CachegrindProfile parse_cachegrind_file(const std::filesystem::path& path);

} // namespace cibench

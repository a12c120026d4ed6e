#pragma once
// Reads a cachegrind.out file (format: Valgrind manual, "Cachegrind output file format").
#include "valgrind/profile.hpp"

#include <filesystem>
#include <istream>
#include <string>

namespace cibench {

// Throws Error naming `source` and the line when the text is not a well-formed profile: a missing
// or repeated header, a count that is not a number or does not fit 64 bits, more counts than
// events, a cost line outside a function, or a summary that disagrees with the cost lines.
Profile parse_cachegrind(std::istream& in, const std::string& source);
Profile parse_cachegrind_file(const std::filesystem::path& path);

} // namespace cibench

#pragma once
// Reads callgrind.out files (format: Valgrind manual, "Callgrind Format Specification"), with the
// attribution rules of callgrind_annotate: a function is "file:name", where fi=/fe= switch the file
// (inlined code counts apart), and a call's cost counts toward its caller's inclusive cost only.
#include "valgrind/profile.hpp"

#include <filesystem>
#include <istream>
#include <string>
#include <vector>

namespace cibench {

// Throws Error naming `source` and the line for malformed input: an undefined compressed name,
// a bad position or count, more counts than events, costs outside a function, cost lines that do
// not add up to `totals:`, or a file with no `events:`.
Profile parse_callgrind(std::istream& in, const std::string& source);

// Several files of one run (parts: callgrind.out.1, .2, ...) read and added up.
Profile parse_callgrind_files(const std::vector<std::filesystem::path>& files);

// True when the text starts like a callgrind.out file rather than a cachegrind.out one.
bool looks_like_callgrind(const std::filesystem::path& file);

} // namespace cibench

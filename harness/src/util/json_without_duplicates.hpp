#pragma once
// JSON from outside, parsed with two equal keys in one object refused: nlohmann keeps the last of
// them and another reader (Python's, a person's) the first, so the two would read different files.
#include <istream>
#include <nlohmann/json.hpp>
#include <string>

namespace cibench {

// Throws nlohmann::json::exception when the text is not JSON; sets `duplicate` to the first key
// found twice in one object ("" when none is) and still returns what nlohmann read.
nlohmann::json parse_json_without_duplicates(std::istream& in, std::string& duplicate);

} // namespace cibench

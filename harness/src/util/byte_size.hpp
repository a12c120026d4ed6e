#pragma once
// Byte counts as people write and read them: "15 MB", "512 KiB", "1.5 MiB"; "2.4 MiB" in reports.
#include <cstdint>
#include <optional>
#include <string>

namespace cibench {

// "15 MB" -> 15'000'000 (SI), "512 KiB" -> 524'288 (binary), "300 B" or "300" -> 300. A decimal
// number is allowed before a unit ("1.5 MiB"); the result is rounded down to whole bytes.
// nullopt when the text is not of that form or does not fit 2^62.
std::optional<std::int64_t> parse_byte_size(const std::string& text);

// 812 -> "812 B", 5'242'880 -> "5.00 MiB": binary units, three significant digits.
std::string format_byte_size(std::int64_t bytes);

} // namespace cibench

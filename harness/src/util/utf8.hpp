#pragma once
// Text from outside (workload output, suite names, ELF sections, source paths from profiles) is
// made valid UTF-8 before it reaches JSON, and printable before it reaches a terminal.
#include <string>
#include <string_view>

namespace cibench {

// `text` with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// The longest prefix of valid UTF-8 `text` of at most `max_bytes`, never cutting a character.
std::string_view cut_utf8(std::string_view text, size_t max_bytes);

// valid_utf8(text) with control characters (C0 but newline and tab, DEL, C1) shown as \xNN or
// \u{NN}, so no escape sequence from outside reaches a terminal.
std::string printable(std::string_view text);

// One line of outside text for a message: valid, cut at `max_bytes` on a character boundary, printable.
std::string printable_line(std::string_view text, size_t max_bytes);

} // namespace cibench

#pragma once
// Text from outside (workload output, suite names, ELF sections, source paths from profiles) is
// made valid UTF-8 before it reaches JSON, and printable before it reaches a terminal or a CI log.
#include <string>
#include <string_view>

namespace cibench {

// `text` with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// The longest prefix of valid UTF-8 `text` of at most `max_bytes`, never cutting a character.
std::string_view cut_utf8(std::string_view text, size_t max_bytes);

// What becomes of newlines in visible_controls(): escaped like any control character (a name, a
// table cell, one line), or kept (the text of a page, which has its own lines).
enum class Newlines { escaped, kept };

// valid_utf8(text) with every control character (C0 but tab, DEL, C1) and every bidirectional mark
// (U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) shown as \xNN or \u{NNNN}: no escape sequence
// from outside reaches a terminal or a page, and no text reads in another order than it is stored.
std::string visible_controls(std::string_view text, Newlines newlines);

// Outside text (a function or symbol name, a benchmark name, a workload's output, an error) as it may
// stand in a line on a terminal or in a CI log: visible_controls(), newlines escaped, and nothing a
// GitHub Actions runner would obey as a workflow command. The runner reads `::command::` at the start
// of a line, after any leading whitespace, and the older `##[command]` anywhere in it, so a first ':'
// (after spaces) is shown as \x3a and "##[" as "#\x23[", wherever the text is put in the line.
std::string printable(std::string_view text);

// printable() of each line of `text`, the lines kept: a message of several lines.
std::string printable_lines(std::string_view text);

// One line of outside text for a message: valid, cut at `max_bytes` on a character boundary, printable.
std::string printable_line(std::string_view text, size_t max_bytes);

} // namespace cibench

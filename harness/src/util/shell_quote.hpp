#pragma once
// A word for a POSIX shell, for commands that ci-bench prints for a user to paste: returned as it
// is when every character is one no shell treats specially, else in single quotes (a quote inside
// becomes '\''). A path with a space or a ';' then stays one argument and runs nothing else.
#include <string>
#include <string_view>

namespace cibench {

std::string shell_quote(std::string_view word);

} // namespace cibench

#pragma once
// Outside text (benchmark names, commits, branches) into HTML or SVG, as element text or a quoted
// attribute value: valid UTF-8, with & < > " ' escaped.
#include <string>
#include <string_view>

namespace cibench {

std::string html_escape(std::string_view text);

} // namespace cibench

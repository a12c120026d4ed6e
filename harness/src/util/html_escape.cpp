#include "util/html_escape.hpp"

#include "util/utf8.hpp"

namespace cibench {

std::string html_escape(std::string_view text) {
  // Control characters and direction overrides shown as escapes: a page must read as its text runs.
  const std::string visible = visible_controls(text, Newlines::kept);
  std::string out;
  out.reserve(visible.size());
  for (size_t i = 0; i < visible.size(); ++i) {
    const char c = visible[i];
    // U+FFFE and U+FFFF are not characters XML allows (an SVG stops there): U+FFFD for them.
    if (c == '\xEF' && i + 2 < visible.size() && visible[i + 1] == '\xBF' && (visible[i + 2] == '\xBE' || visible[i + 2] == '\xBF')) {
      out += "\xEF\xBF\xBD";
      i += 2;
      continue;
    }
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
    }
  }
  return out;
}

} // namespace cibench

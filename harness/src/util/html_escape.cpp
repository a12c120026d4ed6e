#include "util/html_escape.hpp"

#include "util/utf8.hpp"

namespace cibench {

std::string html_escape(std::string_view text) {
  // Control characters and direction overrides shown as escapes: a page must read as its text runs.
  const std::string visible = visible_controls(text, Newlines::kept);
  std::string out;
  out.reserve(visible.size());
  for (char c : visible) {
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

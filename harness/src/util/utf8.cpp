#include "util/utf8.hpp"

#include <fmt/format.h>

namespace cibench {
namespace {

// The length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlongs, no
// surrogates, nothing past U+10FFFF), or 0.
size_t sequence_length(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto continuation = [&](size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return continuation(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (c == 0xE0 && byte(1) < 0xA0) return 0; // overlong
    if (c == 0xED && byte(1) > 0x9F) return 0; // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (c == 0xF0 && byte(1) < 0x90) return 0; // overlong
    if (c == 0xF4 && byte(1) > 0x8F) return 0; // past U+10FFFF
    return 4;
  }
  return 0;
}

} // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const size_t n = sequence_length(text);
    if (n == 0) {
      out += "\xEF\xBF\xBD"; // U+FFFD
      text.remove_prefix(1);
    } else {
      out.append(text.substr(0, n));
      text.remove_prefix(n);
    }
  }
  return out;
}

std::string_view cut_utf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end; // inside a character
  return text.substr(0, end);
}

namespace {

// U+200E, U+200F, U+202A..U+202E, U+2066..U+2069: the second and third bytes of their UTF-8 form.
bool is_bidi_control(char second, char third) {
  const auto b = static_cast<unsigned char>(second), c = static_cast<unsigned char>(third);
  return (b == 0x80 && (c == 0x8E || c == 0x8F || (c >= 0xAA && c <= 0xAE))) || (b == 0x81 && c >= 0xA6 && c <= 0xA9);
}

} // namespace

std::string visible_controls(std::string_view text, Newlines newlines) {
  const std::string valid = valid_utf8(text);
  std::string out;
  for (size_t i = 0; i < valid.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(valid[i]);
    const bool kept = c == '\t' || (c == '\n' && newlines == Newlines::kept);
    if ((c < 0x20 && !kept) || c == 0x7F) {
      out += fmt::format("\\x{:02x}", c);
    } else if (c == 0xC2 && i + 1 < valid.size() && static_cast<unsigned char>(valid[i + 1]) < 0xA0) {
      out += fmt::format("\\u{{{:02x}}}", static_cast<unsigned char>(valid[i + 1])); // C1: U+0080..U+009F
      ++i;
    } else if (c == 0xE2 && i + 2 < valid.size() && is_bidi_control(valid[i + 1], valid[i + 2])) {
      // Direction overrides would make the text after them read backwards ("Trojan Source").
      const unsigned code = 0x2000 | (static_cast<unsigned char>(valid[i + 1]) & 0x3F) << 6 | (static_cast<unsigned char>(valid[i + 2]) & 0x3F);
      out += fmt::format("\\u{{{:04x}}}", code);
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string printable(std::string_view text) {
  std::string out = visible_controls(text, Newlines::escaped);
  for (size_t at = 0; (at = out.find("##[", at)) != std::string::npos; at += 4) out.replace(at + 1, 1, "\\x23");
  // The runner skips Unicode whitespace too: any non-ASCII character is passed over here alike.
  size_t first = 0;
  while (first < out.size() && (out[first] == ' ' || out[first] == '\t' || static_cast<unsigned char>(out[first]) >= 0x80)) ++first;
  if (first < out.size() && out[first] == ':') out.replace(first, 1, "\\x3a");
  return out;
}

std::string printable_lines(std::string_view text) {
  std::string out;
  for (size_t start = 0;;) {
    const size_t end = text.find('\n', start);
    out += printable(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    out += '\n';
    start = end + 1;
  }
}

std::string printable_line(std::string_view text, size_t max_bytes) { return printable(cut_utf8(valid_utf8(text), max_bytes)); }

} // namespace cibench

#include "config/toml_ascii_check.hpp"

namespace cibench {
namespace {

enum class Context { bare, comment, basic_string, literal_string, multiline_basic, multiline_literal };

bool starts_with(std::string_view text, size_t at, std::string_view what) { return text.substr(at, what.size()) == what; }

// The length of the run of `quote` characters at `at`.
size_t run_of(std::string_view text, size_t at, char quote) {
  size_t n = 0;
  while (at + n < text.size() && text[at + n] == quote) ++n;
  return n;
}

} // namespace

std::optional<TextPosition> non_ascii_outside_strings(std::string_view text) {
  Context context = Context::bare;
  TextPosition at;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++at.line;
      line_start = i + 1;
      // Comments and single-line strings end at a newline (an unterminated one is toml++'s error).
      if (context == Context::comment || context == Context::basic_string || context == Context::literal_string)
        context = Context::bare;
      continue;
    }
    switch (context) {
    case Context::bare:
      if (static_cast<unsigned char>(c) >= 0x80) return TextPosition{at.line, i - line_start + 1};
      if (c == '#') context = Context::comment;
      else if (starts_with(text, i, R"(""")")) context = Context::multiline_basic, i += 2;
      else if (starts_with(text, i, "'''")) context = Context::multiline_literal, i += 2;
      else if (c == '"') context = Context::basic_string;
      else if (c == '\'') context = Context::literal_string;
      break;
    case Context::comment: break;
    case Context::basic_string:
      if (c == '\\') ++i; // an escaped character never ends the string
      else if (c == '"') context = Context::bare;
      break;
    case Context::literal_string:
      if (c == '\'') context = Context::bare;
      break;
    case Context::multiline_basic:
    case Context::multiline_literal: {
      const bool basic = context == Context::multiline_basic;
      if (basic && c == '\\') {
        if (i + 1 < text.size() && text[i + 1] != '\n') ++i; // a line-ending backslash is left to the newline case
        break;
      }
      const char quote = basic ? '"' : '\'';
      const size_t n = run_of(text, i, quote);
      // Up to two quotes may end the content right before the closing three: """a""""" holds a"".
      if (n >= 3) context = Context::bare;
      if (n > 0) i += n - 1;
      break;
    }
    }
  }
  return std::nullopt;
}

} // namespace cibench

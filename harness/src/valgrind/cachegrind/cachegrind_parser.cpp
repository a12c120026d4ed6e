#include "valgrind/cachegrind/cachegrind_parser.hpp"

#include "util/error.hpp"
#include "util/text_lines.hpp"

#include <charconv>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>

namespace cibench {
namespace {

class CachegrindParser {
public:
  explicit CachegrindParser(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorKind::parse, fmt::format("{}:{}: {}", source_, line_no_, what));
  }

  std::uint64_t number(std::string_view token, const char* what) const {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
    if (ec == std::errc::result_out_of_range) fail(fmt::format("{} '{}' does not fit in 64 bits", what, token));
    if (ec != std::errc() || end != token.data() + token.size())
      fail(fmt::format("{} '{}' is not a non-negative integer", what, token));
    return v;
  }

  Profile parse(std::istream& in) {
    Profile p;
    std::map<std::pair<std::string, std::string>, size_t> index; // (file, fn) -> functions[i]
    std::vector<std::uint64_t> sum;
    std::string file;
    FunctionCost* current = nullptr;
    bool have_cmd = false, have_summary = false;
    size_t ir = SIZE_MAX; // the Ir event's index
    std::string raw;
    while (std::getline(in, raw)) {
      ++line_no_;
      std::string_view line = trim(raw);
      if (line.empty()) continue;
      if (have_summary) fail("text after the summary line");
      if (line.starts_with("desc:")) {
        p.desc.emplace_back(trim(line.substr(5)));
      } else if (line.starts_with("cmd:")) {
        if (have_cmd) fail("a second 'cmd:' line");
        p.cmd = std::string(trim(line.substr(4)));
        have_cmd = true;
      } else if (line.starts_with("events:")) {
        if (!p.events.empty()) fail("a second 'events:' line");
        for (auto e : split_whitespace(line.substr(7))) p.events.emplace_back(e);
        if (p.events.empty()) fail("'events:' names no event");
        ir = p.event_index("Ir");
        sum.assign(p.events.size(), 0);
      } else if (line.starts_with("fl=")) {
        file = std::string(line.substr(3));
        current = nullptr;
      } else if (line.starts_with("fn=")) {
        if (file.empty()) fail("'fn=' before any 'fl='");
        // A function holds one count per event: without the events its counts have nowhere to go.
        if (p.events.empty()) fail("'fn=' before 'events:'");
        auto key = std::make_pair(file, std::string(line.substr(3)));
        auto [it, added] = index.try_emplace(key, p.functions.size());
        if (added) p.functions.push_back({key.first, key.second, std::vector<std::uint64_t>(p.events.size()), {}});
        current = &p.functions[it->second];
      } else if (line.starts_with("summary:")) {
        if (p.events.empty()) fail("'summary:' before 'events:'");
        auto tokens = split_whitespace(line.substr(8));
        if (tokens.size() != p.events.size())
          fail(fmt::format("summary has {} counts for {} events", tokens.size(), p.events.size()));
        for (auto t : tokens) p.totals.push_back(number(t, "summary count"));
        have_summary = true;
      } else if (line.front() >= '0' && line.front() <= '9') {
        if (p.events.empty()) fail("a cost line before 'events:'");
        if (!current) fail("a cost line outside any 'fn='");
        auto tokens = split_whitespace(line);
        const std::uint64_t line_number = number(tokens[0], "line number");
        if (tokens.size() - 1 > p.events.size())
          fail(fmt::format("cost line has {} counts for {} events", tokens.size() - 1, p.events.size()));
        for (size_t i = 1; i < tokens.size(); ++i) {
          std::uint64_t v = number(tokens[i], "count");
          if (__builtin_add_overflow(current->self[i - 1], v, &current->self[i - 1]) ||
              __builtin_add_overflow(sum[i - 1], v, &sum[i - 1]))
            fail("counts add up past 64 bits");
        }
        // Cachegrind writes each (file, function, line) once: its fl= is the line's own file.
        if (ir + 1 < tokens.size() && line_number > 0 && line_number <= UINT32_MAX)
          if (std::uint64_t v = number(tokens[ir + 1], "count"); v != 0)
            p.lines.push_back({static_cast<size_t>(current - p.functions.data()), static_cast<std::uint32_t>(line_number), v});
      } else {
        fail(fmt::format("unrecognised line '{}'", line.substr(0, 60)));
      }
    }
    if (in.bad()) fail("read error");
    if (!have_cmd) fail("no 'cmd:' line (is this a cachegrind.out file?)");
    if (p.events.empty()) fail("no 'events:' line");
    if (!have_summary) fail("no 'summary:' line: the file is truncated (did Valgrind finish?)");
    for (size_t i = 0; i < sum.size(); ++i)
      if (sum[i] != p.totals[i])
        fail(fmt::format("summary says {} {} but the cost lines add up to {}", p.totals[i], p.events[i], sum[i]));
    return p;
  }

private:
  std::string source_;
  size_t line_no_ = 0;
};

} // namespace

Profile parse_cachegrind(std::istream& in, const std::string& source) {
  return CachegrindParser(source).parse(in);
}

Profile parse_cachegrind_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::parse, fmt::format("{}: cannot open Valgrind output file", path.string()));
  return parse_cachegrind(in, path.string());
}

} // namespace cibench

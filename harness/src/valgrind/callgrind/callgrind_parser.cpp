#include "valgrind/callgrind/callgrind_parser.hpp"

#include "valgrind/callgrind/name_pool.hpp"
#include "valgrind/callgrind/profile_parts.hpp"
#include "util/error.hpp"
#include "util/text_lines.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

namespace cibench {
namespace {

std::uint64_t pair_key(std::uint64_t a, std::uint64_t b) { return a << 32 | b; }

class CallgrindParser {
public:
  // `size_hint`: the file's size in bytes, when known. Room for the functions and calls such a
  // file usually holds (g++ under Callgrind: one function per 1.1 kB, one call per 400 bytes) is
  // reserved up front, so they are not moved while the tables grow.
  explicit CallgrindParser(std::string source, std::uintmax_t size_hint = 0) : source_(std::move(source)) {
    p_.functions.reserve(static_cast<size_t>(size_hint / 1024));
    p_.calls.reserve(static_cast<size_t>(size_hint / 256));
    index_.reserve(static_cast<size_t>(size_hint / 1024));
    edges_.reserve(static_cast<size_t>(size_hint / 256));
  }

  // Reads whole lines: `text` must end with '\n' (the line scanner stops there). Called once per
  // piece of the file, then finish().
  void feed(std::string_view text) {
    const char* at = text.data();
    const char* const end = at + text.size();
    while (at < end) {
      ++line_no_;
      if (const char* next = simple_cost_line(at)) {
        at = next;
        continue;
      }
      const char* nl = static_cast<const char*>(std::memchr(at, '\n', static_cast<size_t>(end - at)));
      std::string_view line = trim(std::string_view(at, static_cast<size_t>(nl - at)));
      at = nl + 1;
      if (line.empty() || line.front() == '#') continue;
      if (is_cost_line(line)) cost_line(line);
      else if (auto eq = line.find('='); eq != std::string_view::npos && eq < line.find(':')) spec_line(line.substr(0, eq), line.substr(eq + 1));
      else if (auto colon = line.find(':'); colon != std::string_view::npos) header_line(line.substr(0, colon), trim(line.substr(colon + 1)));
      else fail(fmt::format("unrecognised line '{}'", line.substr(0, 60)));
    }
  }

  Profile finish() {
    if (p_.events.empty()) fail("no 'events:' line (is this a callgrind.out file?)");
    if (have_totals_) p_.totals = totals_;
    else if (summary_) p_.totals = *summary_;
    else fail("no 'totals:' or 'summary:' line: the file is truncated (did Valgrind finish?)");
    p_.totals.resize(p_.events.size());
    add_up();
    for (size_t i = 0; i < p_.events.size(); ++i)
      if (sum_[i] != p_.totals[i])
        fail(fmt::format("{} {} {} but the cost lines add up to {}", have_totals_ ? "totals say" : "summary says", p_.totals[i],
                         p_.events[i], sum_[i]));
    // Calls in (caller, callee) order, whatever order the file gave them in.
    std::sort(p_.calls.begin(), p_.calls.end(),
              [](const CallEdge& a, const CallEdge& b) { return std::tie(a.caller, a.callee) < std::tie(b.caller, b.callee); });
    return std::move(p_);
  }

private:
  [[noreturn]] void fail(const std::string& what) const { throw Error(ErrorKind::parse, fmt::format("{}:{}: {}", source_, line_no_, what)); }

  static bool is_cost_line(std::string_view l) {
    char c = l.front();
    return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '*';
  }

  std::uint64_t number(std::string_view token, const char* what) const {
    std::uint64_t v = 0;
    int base = 10;
    if (token.starts_with("0x")) token.remove_prefix(2), base = 16;
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v, base);
    if (ec == std::errc::result_out_of_range) fail(fmt::format("{} '{}' does not fit in 64 bits", what, token));
    if (ec != std::errc() || end != token.data() + token.size() || token.empty())
      fail(fmt::format("{} '{}' is not a non-negative integer", what, token));
    return v;
  }

  // "(12) name" defines id 12, "(12)" refers to it, "name" is uncompressed. Returns a pool id.
  // Callgrind 3.19 writes some ids without ever writing their names (an inlined file's or a
  // context's; tests/unit/fixtures/make-unnamed-file.sh says why), and callgrind_annotate reads such
  // an id as an empty name: here it is named for what it is, "(unnamed file 32)", and its costs
  // still count.
  std::uint32_t name(std::unordered_map<std::uint64_t, std::uint32_t>& table, std::string_view spec, const char* kind) {
    spec = trim(spec);
    if (spec.empty() || spec.front() != '(') return pool_.intern(spec);
    auto close = spec.find(')');
    if (close == std::string_view::npos) fail(fmt::format("'{}' has no closing ')'", spec));
    std::uint64_t id = number(spec.substr(1, close - 1), "compressed name id");
    std::string_view rest = trim(spec.substr(close + 1));
    if (!rest.empty()) return table[id] = pool_.intern(rest);
    auto it = table.find(id);
    if (it == table.end()) return table[id] = pool_.intern(fmt::format("(unnamed {} {})", kind, id));
    return it->second;
  }

  size_t function_index(std::uint32_t file, std::uint32_t fn) {
    auto [it, added] = index_.try_emplace(pair_key(file, fn), p_.functions.size());
    if (added) p_.functions.push_back({pool_[file], pool_[fn], std::vector<std::uint64_t>(p_.events.size()), {}});
    return it->second;
  }

  void header_line(std::string_view key, std::string_view value) {
    if (key == "events") {
      if (!p_.events.empty()) fail("a second 'events:' line");
      for (auto e : split_whitespace(value)) p_.events.emplace_back(e);
      if (auto ir = std::find(p_.events.begin(), p_.events.end(), "Ir"); ir != p_.events.end()) ir_ = static_cast<size_t>(ir - p_.events.begin());
      if (p_.events.empty()) fail("'events:' names no event");
      sum_.assign(p_.events.size(), 0);
      totals_.assign(p_.events.size(), 0);
      counts_.assign(p_.events.size(), 0);
      scratch_.assign(p_.events.size(), 0);
    } else if (key == "positions") {
      auto t = split_whitespace(value);
      const bool instr = std::find(t.begin(), t.end(), std::string_view("instr")) != t.end();
      const bool line = std::find(t.begin(), t.end(), std::string_view("line")) != t.end();
      if (!instr && !line) fail(fmt::format("'positions: {}' names neither instr nor line", value));
      positions_ = (instr ? 1 : 0) + (line ? 1 : 0);
      line_position_ = line ? positions_ - 1 : 2;
    } else if (key == "cmd") {
      p_.cmd = std::string(value);
    } else if (key == "desc") {
      p_.desc.emplace_back(value);
    } else if (key == "totals" || key == "summary") {
      auto counts = costs(value, key == "totals" ? "totals" : "summary");
      if (key == "totals") {
        add_counts(totals_, counts, source_);
        have_totals_ = true;
      } else if (!summary_) {
        summary_ = counts;
      } else {
        add_counts(*summary_, counts, source_);
      }
    }
    // version, creator, pid, part, thread and other headers carry nothing the numbers need.
  }

  void spec_line(std::string_view key, std::string_view value) {
    if (key == "ob" || key == "cob") name(objects_, value, "object");
    else if (key == "fl" || key == "fi" || key == "fe") {
      file_ = name(files_, value, "file");
      if (key != "fl") {
        if (!fn_) fail(fmt::format("'{}=' before any 'fn='", key));
        current_ = function_index(file_, *fn_);
      }
    } else if (key == "fn") {
      if (p_.events.empty()) fail("'fn=' before 'events:'");
      fn_ = name(functions_, value, "function");
      current_ = function_index(file_, *fn_);
    } else if (key == "cfi" || key == "cfl") callee_file_ = name(files_, value, "file");
    else if (key == "cfn") {
      // The callee is a function too, with one count per event: the events come first.
      if (p_.events.empty()) fail("'cfn=' before 'events:'");
      std::uint32_t callee = name(functions_, value, "function");
      callee_ = function_index(callee_file_ ? *callee_file_ : file_, callee);
      callee_file_.reset();
    } else if (key == "calls") {
      auto count = Words(value).next();
      if (count.empty()) fail("'calls=' needs a count");
      pending_calls_ = number(count, "call count");
      if (!callee_) fail("'calls=' without a 'cfn=' before it");
      call_pending_ = true;
    } else if (key == "jfi" || key == "jfn") name(key == "jfi" ? files_ : functions_, value, "name");
    else if (key == "jump" || key == "jcnd") {
      // jump information: not needed for costs
    } else fail(fmt::format("unknown specification '{}='", key));
  }

  // The counts of a `totals:` or `summary:` line, zero-padded to one per event.
  std::vector<std::uint64_t> costs(std::string_view value, const char* what) {
    Words words(value);
    read_counts(words, what);
    return counts_;
  }

  // Reads the rest of `words` into counts_, zero-padded to one per event.
  void read_counts(Words& words, const char* what) {
    std::fill(counts_.begin(), counts_.end(), 0);
    size_t n = 0;
    for (auto word = words.next(); !word.empty(); word = words.next()) {
      if (n == counts_.size()) fail(fmt::format("{} has {} counts for {} events", what, n + 1 + words.count_rest(), counts_.size()));
      counts_[n++] = number(word, "count");
    }
  }

  // Positions are read for the line number (the last position), kept across lines because
  // "+2", "-1" and "*" are relative to the line before.
  void cost_line(std::string_view line) {
    if (p_.events.empty()) fail("a cost line before 'events:'");
    if (!current_) fail("a cost line outside any 'fn='");
    if (positions_ == 0) positions_ = 1, line_position_ = 0; // "positions: line" is the default
    Words words(line);
    for (size_t i = 0; i < positions_; ++i) {
      std::string_view pos = words.next();
      if (pos.empty()) fail("a cost line without its positions");
      if (pos == "*") continue;
      if (pos.front() == '+' || pos.front() == '-') move_position(i, pos.front(), number(pos.substr(1), "relative position"));
      else move_position(i, '=', number(pos, "position"));
    }
    read_counts(words, "cost line");
    add_cost(counts_);
  }

  void move_position(size_t i, char how, std::uint64_t v) {
    if (how == '+') position_[i] += v;
    else if (how == '-') position_[i] -= v;
    else position_[i] = v;
  }

  // Most of a profile is short cost lines ("+3 * 1", "0x4a2b10 12 5 1"): this reads the usual
  // form in one pass over the characters (the text ends with '\n', so no bounds checks). Anything
  // else (not a cost line, a hex count, a number of 20 digits, a stray character, more counts than
  // events) returns nullptr having changed nothing, and the line is read by the general path,
  // which names what is wrong. Returns the start of the next line.
  const char* simple_cost_line(const char* p) {
    if (positions_ == 0 || !current_) return nullptr;
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    const auto hex_digit = [&](char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
    const auto separator = [](char c) { return c == ' ' || c == '\t'; };
    std::pair<char, std::uint64_t> positions[2] = {{'*', 0}, {'*', 0}}; // applied once the line is known good
    for (size_t i = 0; i < positions_; ++i) {
      if (i > 0 && !separator(*p++)) return nullptr;
      if (*p == '*') {
        ++p;
        continue;
      }
      const char how = *p == '+' || *p == '-' ? *p++ : '=';
      const char* first = p;
      std::uint64_t v = 0;
      if (p[0] == '0' && p[1] == 'x') {
        first = p += 2;
        for (; hex_digit(*p); ++p) v = v << 4 | static_cast<std::uint64_t>(digit(*p) ? *p - '0' : (*p | 0x20) - 'a' + 10);
        if (p - first > 16) return nullptr;
      } else {
        for (; digit(*p); ++p) v = v * 10 + static_cast<std::uint64_t>(*p - '0');
        if (p - first > 19) return nullptr;
      }
      if (p == first) return nullptr;
      positions[i] = {how, v};
    }
    size_t n = 0;
    while (separator(*p)) {
      ++p;
      if (n == scratch_.size() || !digit(*p)) return nullptr;
      const char* first = p;
      std::uint64_t v = 0;
      while (digit(*p)) v = v * 10 + static_cast<std::uint64_t>(*p++ - '0');
      if (p - first > 19) return nullptr; // might not fit: cost_line() checks
      scratch_[n++] = v;
    }
    if (*p == '\r') ++p;
    if (*p != '\n') return nullptr;
    std::fill(scratch_.begin() + static_cast<std::ptrdiff_t>(n), scratch_.end(), 0);
    for (size_t i = 0; i < positions_; ++i)
      if (positions[i].first != '*') move_position(i, positions[i].first, positions[i].second);
    add_cost(scratch_);
    return p + 1;
  }

  // A cost line's counts belong to the current function's own cost, or, right after `calls=`, to
  // that call. Inclusive costs and the sum of all self costs are added up once, at the end.
  void add_cost(const std::vector<std::uint64_t>& counts) {
    std::uint64_t* to = p_.functions[*current_].self.data();
    if (call_pending_) {
      auto [it, added] = edges_.try_emplace(pair_key(*current_, *callee_), p_.calls.size());
      if (added) p_.calls.push_back({*current_, *callee_, 0, std::vector<std::uint64_t>(counts.size())});
      CallEdge& edge = p_.calls[it->second];
      edge.count += pending_calls_;
      to = edge.inclusive.data();
      call_pending_ = false;
    } else if (line_position_ < positions_ && ir_ < counts.size() && counts[ir_] != 0) {
      add_line_cost(counts[ir_]);
    }
    bool overflow = false;
    for (size_t i = 0; i < counts.size(); ++i) overflow |= __builtin_add_overflow(to[i], counts[i], &to[i]);
    if (overflow) fail("counts add up past 64 bits");
  }

  // Self instructions per (function, line); line 0 (no debug info) and overflowing lines are not kept.
  void add_line_cost(std::uint64_t instructions) {
    const std::uint64_t line = position_[line_position_];
    if (line == 0 || line > UINT32_MAX) return;
    auto [it, added] = line_index_.try_emplace(pair_key(*current_, line), p_.lines.size());
    if (added) p_.lines.push_back({*current_, static_cast<std::uint32_t>(line), 0});
    p_.lines[it->second].instructions += instructions; // cannot pass 64 bits: the function's self cost did not
  }

  // Every function's inclusive cost (its own and its calls'), and the sum of all self costs.
  void add_up() {
    for (auto& fn : p_.functions) {
      fn.inclusive = fn.self;
      add_counts(sum_, fn.self, source_);
    }
    for (auto& call : p_.calls) add_counts(p_.functions[call.caller].inclusive, call.inclusive, source_);
  }

  std::string source_;
  size_t line_no_ = 0;
  Profile p_;
  NamePool pool_;
  std::unordered_map<std::uint64_t, size_t> index_; // (file, function) -> index into p_.functions
  std::unordered_map<std::uint64_t, size_t> edges_; // (caller, callee) -> index into p_.calls
  std::unordered_map<std::uint64_t, std::uint32_t> files_, functions_, objects_; // compressed id -> pool id
  std::uint32_t file_ = pool_.intern("???");
  std::optional<std::uint32_t> fn_, callee_file_;
  std::optional<size_t> current_, callee_;
  std::uint64_t pending_calls_ = 0;
  bool call_pending_ = false;
  size_t positions_ = 0; // per cost line: 1 or 2 (instr, line)
  size_t line_position_ = 2; // which position is the line; 2: none (positions: instr)
  size_t ir_ = SIZE_MAX;    // the Ir event's index
  std::uint64_t position_[2] = {0, 0};
  std::unordered_map<std::uint64_t, size_t> line_index_; // (function, line) -> index into p_.lines
  std::vector<std::uint64_t> sum_, totals_, counts_, scratch_;
  std::optional<std::vector<std::uint64_t>> summary_;
  bool have_totals_ = false;
};

// Reads a file in pieces of whole lines through one buffer: the profile's text is never all in
// memory (an 11 MB file cost 2 900 fresh pages, and page faults were a fifth of the time).
Profile read_file(const std::filesystem::path& file) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!in) throw Error(ErrorKind::parse, fmt::format("{}: cannot open Valgrind output file", file.string()));
  std::error_code size_unknown;
  const std::uintmax_t size = std::filesystem::file_size(file, size_unknown);
  CallgrindParser parser(file.string(), size_unknown ? 0 : size);
  std::vector<char> buffer(1 << 20);
  size_t kept = 0; // bytes of an unfinished line, carried to the front
  for (;;) {
    if (kept == buffer.size()) buffer.resize(buffer.size() * 2); // a line longer than the buffer
    const size_t got = std::fread(buffer.data() + kept, 1, buffer.size() - kept, in.get());
    if (got == 0) break;
    const std::string_view piece(buffer.data(), kept + got);
    const size_t last_newline = piece.rfind('\n');
    if (last_newline == std::string_view::npos) {
      kept += got;
      continue;
    }
    parser.feed(piece.substr(0, last_newline + 1));
    kept = piece.size() - last_newline - 1;
    std::memmove(buffer.data(), buffer.data() + last_newline + 1, kept);
  }
  if (std::ferror(in.get())) throw Error(ErrorKind::parse, fmt::format("{}: read error", file.string()));
  if (kept > 0) parser.feed(std::string(buffer.data(), kept) + '\n'); // no newline at the end
  return parser.finish();
}

} // namespace

Profile parse_callgrind(std::istream& in, const std::string& source) {
  std::string text(std::istreambuf_iterator<char>(in), {});
  if (in.bad()) throw Error(ErrorKind::parse, fmt::format("{}: read error", source));
  text += '\n';
  CallgrindParser parser(source);
  parser.feed(text);
  Profile p = parser.finish();
  correct_inclusive(p);
  return p;
}

Profile parse_callgrind_files(const std::vector<std::filesystem::path>& files) {
  if (files.empty()) throw Error(ErrorKind::parse, "no Callgrind output files");
  std::vector<Profile> parts;
  for (auto& f : files) parts.push_back(read_file(f));
  Profile p = parts.size() == 1 ? std::move(parts.front()) : add_profile_parts(std::move(parts), files);
  correct_inclusive(p);
  return p;
}

bool looks_like_callgrind(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  for (int i = 0; i < 20 && std::getline(in, line); ++i)
    if (line.starts_with("# callgrind format") || line.starts_with("version:") || line.starts_with("creator: callgrind") ||
        line.starts_with("positions:"))
      return true;
  return false;
}

} // namespace cibench

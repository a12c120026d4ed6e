#include "valgrind/callgrind/callgrind_parser.hpp"

#include "util/error.hpp"
#include "util/text_lines.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <optional>

namespace cibench {
namespace {

class Parser {
public:
  explicit Parser(std::string source) : source_(std::move(source)) {}

  Profile parse(std::istream& in) {
    std::string raw;
    while (std::getline(in, raw)) {
      ++line_no_;
      std::string_view line = trim(raw);
      if (line.empty() || line.front() == '#') continue;
      if (is_cost_line(line)) cost_line(line);
      else if (auto eq = line.find('='); eq != std::string_view::npos && eq < line.find(':')) spec_line(line.substr(0, eq), line.substr(eq + 1));
      else if (auto colon = line.find(':'); colon != std::string_view::npos) header_line(line.substr(0, colon), trim(line.substr(colon + 1)));
      else fail(fmt::format("unrecognised line '{}'", line.substr(0, 60)));
    }
    if (in.bad()) fail("read error");
    if (p_.events.empty()) fail("no 'events:' line (is this a callgrind.out file?)");
    if (have_totals_) p_.totals = totals_;
    else if (summary_) p_.totals = *summary_;
    else fail("no 'totals:' or 'summary:' line: the file is truncated (did Valgrind finish?)");
    p_.totals.resize(p_.events.size());
    for (size_t i = 0; i < p_.events.size(); ++i)
      if (sum_[i] != p_.totals[i])
        fail(fmt::format("{} {} {} but the cost lines add up to {}", have_totals_ ? "totals say" : "summary says", p_.totals[i],
                         p_.events[i], sum_[i]));
    for (auto& [key, edge] : edges_) p_.calls.push_back(edge);
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

  // "(12) name" defines id 12, "(12)" refers to it, "name" is uncompressed.
  std::string name(std::map<std::uint64_t, std::string>& table, std::string_view spec, const char* kind) const {
    spec = trim(spec);
    if (spec.empty() || spec.front() != '(') return std::string(spec);
    auto close = spec.find(')');
    if (close == std::string_view::npos) fail(fmt::format("'{}' has no closing ')'", spec));
    std::uint64_t id = number(spec.substr(1, close - 1), "compressed name id");
    std::string_view rest = trim(spec.substr(close + 1));
    if (!rest.empty()) return table[id] = std::string(rest);
    auto it = table.find(id);
    if (it == table.end()) fail(fmt::format("{} ({}) is used before it is defined", kind, id));
    return it->second;
  }

  size_t function_index(const std::string& file, const std::string& fn) {
    auto [it, added] = index_.try_emplace({file, fn}, p_.functions.size());
    if (added) p_.functions.push_back({file, fn, std::vector<std::uint64_t>(p_.events.size()), std::vector<std::uint64_t>(p_.events.size())});
    return it->second;
  }

  void header_line(std::string_view key, std::string_view value) {
    if (key == "events") {
      if (!p_.events.empty()) fail("a second 'events:' line");
      for (auto e : split_whitespace(value)) p_.events.emplace_back(e);
      if (p_.events.empty()) fail("'events:' names no event");
      sum_.assign(p_.events.size(), 0);
      totals_.assign(p_.events.size(), 0);
    } else if (key == "positions") {
      auto t = split_whitespace(value);
      has_instr_ = std::find(t.begin(), t.end(), std::string_view("instr")) != t.end();
      has_line_ = std::find(t.begin(), t.end(), std::string_view("line")) != t.end();
      if (!has_instr_ && !has_line_) fail(fmt::format("'positions: {}' names neither instr nor line", value));
      prev_.assign((has_instr_ ? 1 : 0) + (has_line_ ? 1 : 0), 0);
    } else if (key == "cmd") {
      p_.cmd = std::string(value);
    } else if (key == "desc") {
      p_.desc.emplace_back(value);
    } else if (key == "totals" || key == "summary") {
      auto counts = costs(split_whitespace(value), 0, key == "totals" ? "totals" : "summary");
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
      std::string callee = name(functions_, value, "function");
      callee_ = function_index(callee_file_ ? *callee_file_ : file_, callee);
      callee_file_.reset();
    } else if (key == "calls") {
      auto t = split_whitespace(value);
      if (t.empty()) fail("'calls=' needs a count");
      pending_calls_ = number(t[0], "call count");
      if (!callee_) fail("'calls=' without a 'cfn=' before it");
      call_pending_ = true;
    } else if (key == "jfi" || key == "jfn") name(key == "jfi" ? files_ : functions_, value, "name");
    else if (key == "jump" || key == "jcnd") {
      // jump information: not needed for costs
    } else fail(fmt::format("unknown specification '{}='", key));
  }

  std::vector<std::uint64_t> costs(const std::vector<std::string_view>& t, size_t first, const char* what) const {
    if (t.size() - first > p_.events.size())
      fail(fmt::format("{} has {} counts for {} events", what, t.size() - first, p_.events.size()));
    std::vector<std::uint64_t> c(p_.events.size());
    for (size_t i = first; i < t.size(); ++i) c[i - first] = number(t[i], "count");
    return c;
  }

  void cost_line(std::string_view line) {
    if (p_.events.empty()) fail("a cost line before 'events:'");
    if (!current_) fail("a cost line outside any 'fn='");
    auto t = split_whitespace(line);
    if (prev_.empty()) prev_.assign(1, 0); // "positions: line" is the default
    if (t.size() < prev_.size()) fail("a cost line without its positions");
    for (size_t i = 0; i < prev_.size(); ++i) {
      std::string_view pos = t[i];
      if (pos == "*") continue;
      if (pos.front() == '+') prev_[i] += number(pos.substr(1), "relative position");
      else if (pos.front() == '-') prev_[i] -= number(pos.substr(1), "relative position");
      else prev_[i] = number(pos, "position");
    }
    auto c = costs(t, prev_.size(), "cost line");
    FunctionCost& fn = p_.functions[*current_];
    add_counts(fn.inclusive, c, source_);
    if (call_pending_) {
      auto& edge = edges_[{*current_, *callee_}];
      edge.caller = *current_, edge.callee = *callee_;
      edge.count += pending_calls_;
      add_counts(edge.inclusive, c, source_);
      call_pending_ = false;
      return;
    }
    add_counts(fn.self, c, source_);
    add_counts(sum_, c, source_);
  }

  std::string source_;
  size_t line_no_ = 0;
  Profile p_;
  std::map<std::pair<std::string, std::string>, size_t> index_;
  std::map<std::pair<size_t, size_t>, CallEdge> edges_;
  std::map<std::uint64_t, std::string> files_, functions_, objects_;
  std::string file_ = "???";
  std::optional<std::string> fn_, callee_file_;
  std::optional<size_t> current_, callee_;
  std::uint64_t pending_calls_ = 0;
  bool call_pending_ = false;
  bool has_instr_ = false, has_line_ = true;
  std::vector<std::uint64_t> prev_, sum_, totals_;
  std::optional<std::vector<std::uint64_t>> summary_;
  bool have_totals_ = false;
};

// While reading, a function's inclusive cost is its self cost plus the calls it makes. Like
// callgrind_annotate, a function that is called gets instead what its callers paid for calling
// it: that covers its inlined parts (counted apart, under fi=) and does not double recursion.
void correct_inclusive(Profile& p) {
  std::vector<std::vector<std::uint64_t>> incoming(p.functions.size());
  for (auto& e : p.calls) add_counts(incoming[e.callee], e.inclusive, "inclusive costs");
  for (size_t i = 0; i < p.functions.size(); ++i)
    if (!incoming[i].empty()) {
      incoming[i].resize(p.events.size());
      p.functions[i].inclusive = incoming[i];
    }
}

Profile parse_raw_files(const std::vector<std::filesystem::path>& files);

} // namespace

Profile parse_callgrind(std::istream& in, const std::string& source) {
  Profile p = Parser(source).parse(in);
  correct_inclusive(p);
  return p;
}

Profile parse_callgrind_files(const std::vector<std::filesystem::path>& files) {
  Profile p = parse_raw_files(files);
  correct_inclusive(p);
  return p;
}

namespace {

Profile parse_raw_files(const std::vector<std::filesystem::path>& files) {
  Profile sum;
  std::map<std::pair<std::string, std::string>, size_t> index;
  std::map<std::pair<size_t, size_t>, size_t> edges;
  for (auto& f : files) {
    std::ifstream in(f);
    if (!in) throw Error(ErrorKind::parse, fmt::format("{}: cannot open Valgrind output file", f.string()));
    Profile part = Parser(f.string()).parse(in);
    if (sum.events.empty()) sum.events = part.events, sum.cmd = part.cmd, sum.desc = part.desc;
    if (part.events != sum.events) throw Error(ErrorKind::parse, fmt::format("{}: its events differ from the other parts'", f.string()));
    add_counts(sum.totals, part.totals, f.string());
    std::vector<size_t> remap;
    for (auto& fn : part.functions) {
      auto [it, added] = index.try_emplace({fn.file, fn.function}, sum.functions.size());
      if (added) sum.functions.push_back({fn.file, fn.function, {}, {}});
      add_counts(sum.functions[it->second].self, fn.self, f.string());
      add_counts(sum.functions[it->second].inclusive, fn.inclusive, f.string());
      remap.push_back(it->second);
    }
    for (auto& e : part.calls) {
      auto key = std::make_pair(remap[e.caller], remap[e.callee]);
      auto [it, added] = edges.try_emplace(key, sum.calls.size());
      if (added) sum.calls.push_back({key.first, key.second, 0, {}});
      sum.calls[it->second].count += e.count;
      add_counts(sum.calls[it->second].inclusive, e.inclusive, f.string());
    }
  }
  if (files.empty()) throw Error(ErrorKind::parse, "no Callgrind output files");
  return sum;
}

} // namespace

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

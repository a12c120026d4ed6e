#include "valgrind/callgrind/folded_stacks.hpp"

#include "util/error.hpp"
#include "util/short_name.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>
#include <set>

namespace cibench {
namespace {

struct Graph {
  std::map<std::string, double> self;                          // by function name
  InlinedCosts inlined;                                        // by function name
  std::map<std::string, std::map<std::string, double>> calls;  // caller -> callee -> cost
  std::set<std::string> called;
};

class Folder {
public:
  // Paths worth less than `min_value` are charged to their caller: the sum stays exact, and a call
  // graph with exponentially many paths yields at most total / min_value stacks.
  Folder(const Graph& g, double min_value) : g_(g), min_value_(min_value) {}

  void walk(const std::string& fn, double value) {
    if (value < min_value_ || stack_.size() >= 128) return emit(value);
    stack_.push_back(fn);
    const double own = g_.self.count(fn) ? g_.self.at(fn) : 0;
    double outgoing = 0;
    auto edges = g_.calls.find(fn);
    if (edges != g_.calls.end())
      for (auto& [callee, cost] : edges->second) outgoing += cost;
    const double raw = own + outgoing;
    const double scale = raw > 0 ? value / raw : 0;
    double kept = own * scale;
    if (edges != g_.calls.end())
      for (auto& [callee, cost] : edges->second) {
        if (std::find(stack_.begin(), stack_.end(), callee) != stack_.end()) kept += cost * scale; // recursion
        else walk(callee, cost * scale);
      }
    if (auto parts = g_.inlined.find(fn); parts != g_.inlined.end() && own > 0)
      for (auto& [frame, cost] : parts->second) {
        const double share = std::min(cost, own) * scale;
        stack_.push_back(frame);
        emit(share);
        stack_.pop_back();
        kept -= share;
      }
    emit(kept);
    stack_.pop_back();
  }

  std::string text() const {
    std::string out;
    for (auto& [stack, value] : folded_)
      if (auto n = std::llround(value); n > 0) out += fmt::format("{} {}\n", stack, n);
    return out;
  }

private:
  void emit(double value) {
    if (stack_.empty()) return;
    folded_[fmt::format("{}", fmt::join(stack_, ";"))] += value;
  }

  const Graph& g_;
  double min_value_;
  std::vector<std::string> stack_;
  std::map<std::string, double> folded_;
};

std::string frame_name(std::string name) {
  std::replace(name.begin(), name.end(), ';', ':'); // ';' separates frames
  // Callgrind names the deeper levels of a recursion f'2, f'3: one function, so one frame (and
  // the recursion is cut where it repeats).
  name.resize(without_recursion_level(name).size());
  return name;
}

} // namespace

std::string folded_stacks(const Profile& p, const std::string& root, const InlinedCosts& inlined) {
  const size_t ir = p.event_index("Ir");
  if (ir == p.events.size()) throw Error(ErrorKind::parse, "the profile has no Ir event");
  if (p.calls.empty()) throw Error(ErrorKind::parse, "the profile records no calls: folded stacks need a Callgrind file (tool = \"callgrind\")");
  Graph g;
  for (auto& [fn, parts] : inlined)
    for (auto& [frame, cost] : parts) g.inlined[frame_name(fn)][frame_name(frame)] += cost;
  for (auto& f : p.functions) g.self[frame_name(f.function)] += static_cast<double>(f.self[ir]);
  for (auto& e : p.calls) {
    const std::string caller = frame_name(p.functions[e.caller].function), callee = frame_name(p.functions[e.callee].function);
    if (caller == callee) continue; // direct recursion: already in the caller's own cost
    g.calls[caller][callee] += static_cast<double>(e.inclusive[ir]);
    g.called.insert(callee);
  }
  std::map<std::string, double> roots; // functions nobody calls, with their inclusive cost
  double total = 0;
  for (auto& [fn, self] : g.self)
    if (!g.called.count(fn)) {
      double value = self;
      if (auto edges = g.calls.find(fn); edges != g.calls.end())
        for (auto& [callee, cost] : edges->second) value += cost;
      roots[fn] = value;
      total += value;
    }
  Folder folder(g, std::max(0.5, total / 10'000));
  for (auto& [fn, value] : roots) folder.walk(fn, value);
  if (root.empty()) return folder.text();
  std::string rooted;
  const std::string text = folder.text();
  for (size_t start = 0, end; start < text.size(); start = end + 1) {
    end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    rooted += frame_name(root) + ";" + text.substr(start, end - start) + "\n";
  }
  return rooted;
}

} // namespace cibench

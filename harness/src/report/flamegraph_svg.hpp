#pragma once
// A flame graph as one self-contained SVG file: no script, no font or style from the network; each
// frame's tooltip (<title>) says its instructions and change. Widths are this run's instructions;
// colour is the change of a frame's own instructions: red slower, blue faster, beige unchanged.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace cibench {

struct FlameGraph {
  std::string title;    // "NAME: instructions, coloured by change against the baseline"
  std::string folded;   // "root;caller;callee 1234" lines (folded_stacks.hpp): the widths
  // What changed, by one of two measures (neither: a plain flame graph):
  std::optional<std::string> old_folded;            // per stack: its own instructions then and now
  std::map<std::string, std::int64_t> change_by_frame; // per frame name, shared among its frames by their width
  std::set<std::string> change_at_least; // frames whose change is a lower bound (the baseline did not keep its before)
};

// Throws Error(parse) on a folded line without a count.
std::string flamegraph_svg(const FlameGraph& graph);

} // namespace cibench

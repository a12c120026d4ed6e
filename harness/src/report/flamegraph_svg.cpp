#include "report/flamegraph_svg.hpp"

#include "util/error.hpp"
#include "util/html_escape.hpp"
#include "util/short_name.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <memory>
#include <vector>

namespace cibench {
namespace {

constexpr double kWidth = 1200, kRow = 17, kTop = 44, kMargin = 10;

struct Node {
  std::string name;
  double self = 0, total = 0, old_self = 0;
  std::map<std::string, std::unique_ptr<Node>> children;
};

// Own instructions by stack ("a;b;c") from folded text.
std::map<std::string, double> read_folded(const std::string& text) {
  std::map<std::string, double> stacks;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    const auto space = line.rfind(' ');
    double value = 0;
    if (space == std::string_view::npos ||
        std::from_chars(line.data() + space + 1, line.data() + line.size(), value).ec != std::errc())
      throw Error(ErrorKind::parse, fmt::format("folded stack line without a count: '{}'", printable_line(line, 80)));
    stacks[std::string(line.substr(0, space))] += value;
  }
  return stacks;
}

Node* child(Node& parent, const std::string& name) {
  auto& slot = parent.children[name];
  if (!slot) {
    slot = std::make_unique<Node>();
    slot->name = name;
  }
  return slot.get();
}

Node* walk_to(Node& root, const std::string& stack) {
  Node* at = &root;
  for (size_t start = 0; start <= stack.size();) {
    size_t end = stack.find(';', start);
    if (end == std::string::npos) end = stack.size();
    at = child(*at, stack.substr(start, end - start));
    start = end + 1;
  }
  return at;
}

double add_totals(Node& n) {
  n.total = n.self;
  for (auto& [name, c] : n.children) n.total += add_totals(*c);
  return n.total;
}

void add_self_by_name(const Node& n, std::map<std::string, double>& by_name) {
  by_name[n.name] += n.self;
  for (auto& [name, c] : n.children) add_self_by_name(*c, by_name);
}

std::string colour(double ratio) {
  if (ratio == 0) return "#eddcc0";
  const double t = std::min(1.0, 0.25 + 0.75 * std::sqrt(std::min(1.0, std::abs(ratio))));
  const int fade = static_cast<int>(std::lround(230 * (1 - t)));
  return ratio > 0 ? fmt::format("rgb(255,{},{})", fade, fade) : fmt::format("rgb({},{},255)", fade, fade);
}

std::string signed_count(double v) { return fmt::format("{:+}", static_cast<std::int64_t>(std::llround(v))); }

class Renderer {
public:
  Renderer(const FlameGraph& g, double total, std::map<std::string, double> self_by_name)
      : g_(g), total_(total), self_by_name_(std::move(self_by_name)) {}

  void frame(const Node& n, double x, int depth, int max_depth) {
    const double w = n.total / total_ * (kWidth - 2 * kMargin);
    if (w < 0.2) return;
    // This frame's change of its own instructions, and that as a share of them.
    double change = 0, ratio = 0;
    if (g_.old_folded) {
      change = n.self - n.old_self;
      const double base = std::max(n.self, n.old_self);
      ratio = base > 0 ? change / base : 0;
    } else if (auto it = g_.change_by_frame.find(n.name); it != g_.change_by_frame.end() && self_by_name_[n.name] > 0 && n.self > 0) {
      // The frame name's change, shared among its frames by their own instructions; as a share of
      // what they were before.
      const double now = self_by_name_[n.name], before = now - static_cast<double>(it->second);
      change = static_cast<double>(it->second) * n.self / now;
      ratio = before > 0 ? static_cast<double>(it->second) / before : 1;
    }
    const double y = kTop + (max_depth - depth) * kRow;
    const std::string name = printable_line(n.name, 2000);
    std::string tip = fmt::format("{}\n{} instructions ({:.2f} %), {} its own", name, static_cast<std::int64_t>(std::llround(n.total)),
                                  100 * n.total / total_, static_cast<std::int64_t>(std::llround(n.self)));
    if (std::llround(change) != 0) {
      const bool at_least = g_.change_at_least.count(n.name) > 0;
      tip += fmt::format("\nchange of its own: {}{}", at_least ? "at least " : "", signed_count(change));
      if (!at_least) tip += fmt::format(" ({:+.1f} % of what it was)", 100 * ratio);
    }
    const char* kind = std::llround(change) > 0 ? "slower" : std::llround(change) < 0 ? "faster" : "same";
    out_ += fmt::format("<g class=\"{}\"><title>{}</title><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"/>",
                        kind, html_escape(tip), x, y, w, kRow - 1, colour(std::llround(change) == 0 ? 0 : ratio));
    // 12px monospace: 7.3px a character. The label is the short name; the tooltip has the full one.
    if (const size_t fits = static_cast<size_t>((w - 6) / 7.3); fits >= 3) {
      const std::string shown = short_name(name, 2000);
      std::string label = shown.size() <= fits ? shown : std::string(cut_utf8(shown, fits - 2)) + "..";
      out_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", x + 3, y + kRow - 5, html_escape(label));
    }
    out_ += "</g>\n";
    double at = x;
    for (auto& [cname, c] : n.children) {
      frame(*c, at, depth + 1, max_depth);
      at += c->total / total_ * (kWidth - 2 * kMargin);
    }
  }

  std::string take() { return std::move(out_); }

private:
  const FlameGraph& g_;
  double total_;
  std::map<std::string, double> self_by_name_;
  std::string out_;
};

int depth_of(const Node& n) {
  int deepest = 0;
  for (auto& [name, c] : n.children) deepest = std::max(deepest, 1 + depth_of(*c));
  return deepest;
}

} // namespace

std::string flamegraph_svg(const FlameGraph& g) {
  Node root;
  for (auto& [stack, value] : read_folded(g.folded)) walk_to(root, stack)->self += value;
  if (g.old_folded)
    for (auto& [stack, value] : read_folded(*g.old_folded)) {
      // Only stacks that exist now are drawn: widths are this run's.
      Node* at = &root;
      bool found = true;
      for (size_t start = 0; found && start <= stack.size();) {
        size_t end = stack.find(';', start);
        if (end == std::string::npos) end = stack.size();
        auto it = at->children.find(stack.substr(start, end - start));
        found = it != at->children.end();
        if (found) at = it->second.get();
        start = end + 1;
      }
      if (found) at->old_self += value;
    }
  const double total = add_totals(root);
  std::map<std::string, double> self_by_name;
  add_self_by_name(root, self_by_name);
  const int depth = depth_of(root);
  const double height = kTop + depth * kRow + kMargin;
  std::string svg = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1:.0f}\" viewBox=\"0 0 {0} {1:.0f}\">\n"
      "<style>text {{ font: 12px monospace; fill: #000; pointer-events: none; }} g:hover rect {{ stroke: #000; stroke-width: 1; }}</style>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
      "<text x=\"{2}\" y=\"18\" style=\"font: bold 14px sans-serif\">{3}</text>\n"
      "<text x=\"{2}\" y=\"34\" style=\"font: 12px sans-serif\">{4}</text>\n",
      kWidth, height, kMargin, html_escape(printable_line(g.title, 300)),
      g.old_folded || !g.change_by_frame.empty()
          ? "Width: instructions now. Colour: change of a frame's own instructions, red slower, blue faster. Hover for figures."
          : "Width: instructions. Hover for figures.");
  if (total <= 0) return svg + "<text x=\"10\" y=\"60\">no instructions</text>\n</svg>\n";
  Renderer r(g, total, std::move(self_by_name));
  double at = kMargin;
  for (auto& [name, c] : root.children) {
    r.frame(*c, at, 0, depth - 1);
    at += c->total / total * (kWidth - 2 * kMargin);
  }
  return svg + r.take() + "</svg>\n";
}

} // namespace cibench

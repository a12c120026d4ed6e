#include "report/flamegraphs.hpp"

#include "elf/source_functions.hpp"
#include "exec/suite_protocol.hpp"
#include "report/flamegraph_svg.hpp"
#include "util/atomic_file.hpp"
#include "util/file_names.hpp"
#include "util/short_name.hpp"
#include "valgrind/cachegrind/cachegrind_parser.hpp"
#include "valgrind/callgrind/callgrind_parser.hpp"
#include "valgrind/callgrind/folded_stacks.hpp"
#include "valgrind/output_files.hpp"

#include <algorithm>
#include <functional>
#include <set>
#include <fmt/format.h>

namespace cibench {
namespace fs = std::filesystem;

std::string frame_of_line(const std::string& source_function, const std::vector<std::string>& ran_in) {
  if (source_function.empty()) return ran_in.empty() ? "" : ran_in.front();
  for (auto& f : ran_in)
    if (SourceFunctions::same_function(source_function, f)) return f;
  return source_function + " [inlined]";
}

InlinedCosts inlined_costs(const Profile& p, const SourceFunctions& sources, const fs::path& project_dir,
                           const std::function<std::string(const std::string&)>& stable) {
  InlinedCosts out;
  if (sources.empty()) return out;
  const std::string prefix = project_dir.string() + "/";
  for (auto& l : p.lines) {
    const FunctionCost& f = p.functions[l.function];
    const std::string file = f.file.starts_with(prefix) ? f.file.substr(prefix.size()) : f.file;
    const std::string source = sources.function_at(file, l.line, project_dir);
    if (!source.empty() && !SourceFunctions::same_function(source, f.function))
      out[stable(f.function)][stable(source) + " [inlined]"] += static_cast<double>(l.instructions);
  }
  return out;
}

namespace {

std::string frame(std::string name) {
  std::replace(name.begin(), name.end(), ';', ':');
  return name;
}

// Cachegrind records no calls: each function is a frame on the benchmark's, its inlined code above it.
std::string flat_stacks(const Profile& p, const std::string& root, const InlinedCosts& inlined) {
  std::string out;
  const size_t ir = p.event_index("Ir");
  std::map<std::string, double> self;
  for (auto& f : p.functions)
    if (ir < f.self.size() && f.self[ir] > 0) self[f.function] += static_cast<double>(f.self[ir]);
  for (auto& [fn, count] : self) {
    double own = count;
    if (auto parts = inlined.find(fn); parts != inlined.end())
      for (auto& [part, cost] : parts->second) {
        out += fmt::format("{};{};{} {:.0f}\n", frame(root), frame(fn), frame(part), cost);
        own -= cost;
      }
    if (own >= 0.5) out += fmt::format("{};{} {:.0f}\n", frame(root), frame(fn), own);
  }
  return out;
}

// A function now at 0 whose code runs inlined in others: its "→ 0" is a move, not a saving.
void label_inlined_functions(std::vector<FunctionChange>& changes, const InlinedCosts& inlined) {
  for (auto& c : changes) {
    if (c.after != 0) continue;
    const std::string frame = std::string(function_of_key(c.function)) + " [inlined]";
    for (auto& [ran_in, parts] : inlined)
      if (parts.count(frame)) c.inlined_into.push_back(ran_in);
  }
}

bool changed(Status s) { return s == Status::fail || s == Status::warn || s == Status::improved; }

} // namespace

void write_flamegraphs(RunResult& run, const fs::path& out_dir, const std::vector<BenchmarkPlan>& plan,
                       const fs::path& project_dir, bool every) {
  std::map<std::string, const BenchmarkPlan*> planned;
  for (auto& b : plan) planned[b.name] = &b;
  for (auto& r : run.benchmarks) {
    const fs::path file = out_dir / (file_stem(r.name()) + ".flamegraph.svg");
    std::error_code ec;
    fs::remove(file, ec);
    const auto b = planned.find(r.name());
    if (b == planned.end() || !(every || changed(r.verdict.status)) || r.failure || r.measurement.reused) continue;
    const bool region = b->second->has_region();
    const auto stable = [&](const std::string& name) {
      return region ? suite_protocol::stable_function_name(name, r.name()) : name;
    };
    const SourceFunctions sources = SourceFunctions::read(b->second->program);
    // Each changed line's own function, as the source has it: an inlined helper by its name.
    for (auto& c : r.lines.changes)
      if (!c.gone) c.source_function = stable(sources.function_at(c.file, c.line, project_dir));
    const std::string& tool = r.measurement.tool;
    if ((tool != "callgrind" && tool != "cachegrind") || (tool == "cachegrind" && region)) continue;
    try {
      const fs::path profile_file = RunFiles(out_dir, r.name(), RunRole::measured, tool).profile();
      if (!fs::exists(profile_file)) continue;
      const Profile profile = tool == "callgrind" ? parse_callgrind_files({profile_file}) : parse_cachegrind_file(profile_file);
      FlameGraph graph{.title = fmt::format("{}: instructions, coloured by change against the baseline", r.name()),
                       .folded = {}, .old_folded = {}, .change_by_frame = {}, .change_at_least = {}};
      Profile named = profile;
      for (auto& f : named.functions) f.function = stable(f.function);
      const InlinedCosts inlined = inlined_costs(profile, sources, project_dir, stable);
      label_inlined_functions(r.function_changes, inlined);
      graph.folded = tool == "callgrind" ? folded_stacks(named, r.name(), inlined) : flat_stacks(named, r.name(), inlined);
      // Colour from the lines; a function none of the listed lines ran in, from its own change
      // (one they ran in: its change is theirs, already drawn, inlined ones above it).
      std::set<std::string> explained;
      for (auto& c : r.lines.changes) {
        explained.insert(c.functions.begin(), c.functions.end());
        if (c.gone) continue;
        const std::string frame = frame_of_line(c.source_function, c.functions);
        graph.change_by_frame[frame] += c.change();
        if (c.before_at_most) graph.change_at_least.insert(frame);
      }
      for (auto& c : r.function_changes) { // "file:function": the frame is the function
        const std::string frame(function_of_key(c.function));
        if (graph.change_by_frame.count(frame) || explained.count(frame) || !c.inlined_into.empty()) continue;
        graph.change_by_frame[frame] += c.change();
        if (c.before_at_most) graph.change_at_least.insert(frame);
      }
      write_file_atomically(file, flamegraph_svg(graph));
      r.flamegraph = file.filename().string();
    } catch (const Error&) {
      // The gate's verdict stands without its picture; the raw profile is still in --out.
    }
  }
}

} // namespace cibench

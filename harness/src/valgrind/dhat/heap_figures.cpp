#include "valgrind/dhat/heap_figures.hpp"

#include "util/error.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <regex>

namespace cibench {
namespace fs = std::filesystem;
namespace {

bool in_region_frame(const DhatFrame& f) { return f.function.starts_with(kHeapRegionFrame); }
bool in_ballast_frame(const DhatFrame& f) { return f.function.starts_with(kHeapBallastFrame); }
bool passes(const DhatSite& site, bool (*frame)(const DhatFrame&)) {
  return std::any_of(site.stack.begin(), site.stack.end(), frame);
}

std::string relative_file(const std::string& file, const fs::path& project_dir) {
  const std::string dir = project_dir.string() + "/";
  return !project_dir.empty() && file.starts_with(dir) ? file.substr(dir.size()) : file;
}

// A frame of the benchmark's body: its function (cibench_benchmark_30), its lambda, or measure()'s
// trampoline the lambda is inlined into.
bool body_frame(const DhatFrame& f) {
  static const std::regex body("cibench_benchmark_[0-9]+");
  return std::regex_search(f.function, body);
}

// Where to start naming a site, among the frames before the body's region frame (`limit`): the
// first frame of the project, else of any source outside /usr (Valgrind's allocator aside), else
// the body's own frame (code inlined from /usr into the body), else the first past the allocator.
size_t first_named_frame(const std::vector<DhatFrame>& stack, const fs::path& project_dir, size_t limit) {
  const std::string dir = project_dir.string() + "/";
  for (size_t i = 0; i < limit; ++i)
    if (!project_dir.empty() && stack[i].file.starts_with(dir)) return i;
  for (size_t i = 0; i < limit; ++i)
    if (!stack[i].file.empty() && !stack[i].file.starts_with("/usr/") && stack[i].file.find("vg_replace_malloc") == std::string::npos)
      return i;
  for (size_t i = 0; i < limit; ++i)
    if (body_frame(stack[i])) return i;
  return limit > 1 ? 1 : 0;
}

// A body frame is named by the benchmark's function ("cibench_benchmark_30 (body)", which
// stable_function_name makes CIBENCH_BENCHMARK(NAME)): measure()'s trampoline and the lambda are
// hundreds of characters of template arguments, and their file is wherever the innermost inlined
// code came from. A compiler's clone suffix (" [clone .constprop.0]") comes and goes with
// optimisation decisions, not with the code: it is dropped.
std::string frame_function(const DhatFrame& f) {
  static const std::regex body("cibench_benchmark_[0-9]+"), clone(" \\[clone [^\\]]*\\]");
  std::smatch m;
  if (std::regex_search(f.function, m, body)) return m.str() + " (body)";
  return std::regex_replace(f.function, clone, "");
}

// A function's name that fits in `max_bytes` without being cut mid-name: template arguments
// become <…> (an operator's own < and > kept), and only a name still too long is cut, marked with "…".
std::string fitting_name(const std::string& name, size_t max_bytes) {
  if (name.size() <= max_bytes) return name;
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name.compare(i, 8, "operator") == 0) { // operator<, <<, <=, <=>, >, >>, >=, ->
      const size_t end = name.find_first_not_of("<=>-", i + 8);
      if (depth == 0) out.append(name, i, (end == std::string::npos ? name.size() : end) - i);
      i = (end == std::string::npos ? name.size() : end) - 1;
      continue;
    }
    if (name[i] == '<' && depth++ == 0) out += "<…>";
    else if (name[i] == '>' && depth > 0) --depth;
    else if (depth == 0) out += name[i];
  }
  if (out.size() <= max_bytes) return out;
  return std::string(cut_utf8(out, max_bytes)) + "…";
}

std::string site_name(const std::vector<DhatFrame>& stack, const fs::path& project_dir) {
  const size_t limit = std::find_if(stack.begin(), stack.end(), in_region_frame) - stack.begin(); // the harness's own beyond
  std::vector<std::string> parts;
  for (size_t i = first_named_frame(stack, project_dir, limit); i < limit && parts.size() < 3; ++i) {
    const bool body = body_frame(stack[i]);
    const std::string file = body ? "" : relative_file(stack[i].file, project_dir);
    std::string frame = printable_line(fitting_name(frame_function(stack[i]), 160), 200) + (file.empty() ? "" : fmt::format(" ({})", file));
    if (parts.empty() || parts.back() != frame) parts.push_back(std::move(frame)); // inlined frames repeat
    if (body) break; // what called the body is the harness
  }
  return parts.empty() ? "(unknown allocation site)" : fmt::format("{}", fmt::join(parts, " < "));
}

} // namespace

HeapFigures heap_figures(const DhatProfile& profile, const fs::path& project_dir, bool region_only) {
  HeapFigures h;
  for (auto& metric : metrics_of(MetricSource::dhat)) h.metrics[metric] = 0;
  for (auto& site : profile.sites) {
    if (region_only && !passes(site, in_region_frame)) continue;
    h.metrics["heap_total_bytes"] += site.total_bytes;
    h.metrics["heap_total_blocks"] += site.total_blocks;
    h.metrics["heap_peak_bytes"] += site.peak_bytes;
    h.metrics["heap_peak_blocks"] += site.peak_blocks;
    h.metrics["heap_end_bytes"] += site.end_bytes;
    const std::string name = site_name(site.stack, project_dir);
    h.total_by_site[name] += site.total_bytes;
    if (site.peak_bytes) h.peak_by_site[name] += site.peak_bytes;
  }
  return h;
}

HeapFigures region_peak(const DhatProfile& profile, std::int64_t ballast_bytes, const fs::path& project_dir) {
  HeapFigures h;
  h.metrics["heap_peak_bytes"] = h.metrics["heap_peak_blocks"] = 0;
  std::int64_t ballast_at_peak = 0, rest_at_peak = 0, rest_at_end = 0;
  for (auto& site : profile.sites) {
    if (passes(site, in_ballast_frame)) {
      ballast_at_peak += site.peak_bytes;
    } else if (passes(site, in_region_frame)) {
      h.metrics["heap_peak_bytes"] += site.peak_bytes;
      h.metrics["heap_peak_blocks"] += site.peak_blocks;
      if (site.peak_bytes) h.peak_by_site[site_name(site.stack, project_dir)] += site.peak_bytes;
    } else {
      rest_at_peak += site.peak_bytes;
      rest_at_end += site.end_bytes;
    }
  }
  if (ballast_at_peak != ballast_bytes)
    throw Error(ErrorKind::setup, fmt::format("the heap peak of the --heap-peak run fell outside the body ({} of the {}-byte ballast "
                                              "live at it): the process allocated more than in its --heap run (is it deterministic?)",
                                              ballast_at_peak, ballast_bytes));
  if (rest_at_end != rest_at_peak)
    throw Error(ErrorKind::setup, fmt::format("after its heap peak the body freed (or resized) blocks it did not allocate ({} bytes live "
                                              "outside the body at the peak, {} at its end), so that peak cannot be told exactly; free "
                                              "what setup built in teardown, or leave this benchmark out of heap = true",
                                              rest_at_peak, rest_at_end));
  return h;
}

} // namespace cibench

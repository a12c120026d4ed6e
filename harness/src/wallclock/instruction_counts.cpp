#include "wallclock/instruction_counts.hpp"

#include "measure/measure.hpp"
#include "measure/toolchain.hpp"
#include "util/error.hpp"

#include <fmt/format.h>
#include <thread>

namespace cibench {

std::vector<InstructionCount> count_instructions(const Config& config, const std::vector<BenchmarkPlan>& plan,
                                                 const std::filesystem::path& out_dir) {
  std::vector<InstructionCount> counts(plan.size());
  auto fail_all = [&](const std::string& why) {
    for (auto& c : counts) c.error = why;
    return counts;
  };
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return fail_all(fmt::format("cannot create {}: {}", out_dir.string(), ec.message()));
  MeasureContext context;
  context.settings = config.valgrind;
  context.settings.cache_sim = false;
  context.out_dir = out_dir;
  context.project_dir = config.file.parent_path();
  try {
    context.valgrind = find_valgrind();
    context.host = host_toolchain(context.valgrind, context.settings);
  } catch (const Error& e) {
    return fail_all(e.what());
  }
  std::vector<BenchmarkPlan> counted = plan; // instructions only: no DHAT run beside
  for (auto& b : counted) b.settings.heap = false;
  const MeasurementSet set = measure_all(counted, context, std::max(1u, std::thread::hardware_concurrency()), [](auto&) {});
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const Measurement& m = set.measurements[i];
    if (m.failure) counts[i].error = m.failure->message;
    else if (auto ir = m.events.find("Ir"); ir != m.events.end()) counts[i].value = ir->second;
    else counts[i].error = "Valgrind reported no Ir event";
  }
  return counts;
}

std::string format_count(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string time_beside_instructions(double time_change_pct, bool time_change_called, const InstructionCount& candidate,
                                     const InstructionCount& other) {
  if (!candidate.value || !other.value) return "";
  const std::int64_t now = *candidate.value, before = *other.value;
  const std::string time = fmt::format("time {:+.2f}%", time_change_pct);
  if (now == before)
    return fmt::format("{}, instructions unchanged ({}){}", time, format_count(now),
                       time_change_called ? ": the machine, not the code" : "");
  if (before == 0) return fmt::format("{}, instructions {} -> {}", time, format_count(before), format_count(now));
  return fmt::format("{}, instructions {:+.2f}% ({} -> {})", time,
                     (static_cast<double>(now) / static_cast<double>(before) - 1) * 100, format_count(before),
                     format_count(now));
}

} // namespace cibench

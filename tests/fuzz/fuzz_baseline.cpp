// baselines/NAME.json: load_baseline reads the file of a benchmark in a folder, so the input is
// written where it looks, for the benchmark it names (so that every real baseline is a seed);
// then what the gate does with a baseline it accepted.
#include "config/threshold.hpp"
#include "fuzz_support.hpp"
#include "baseline/baseline.hpp"
#include "judge/function_changes.hpp"
#include "judge/gate.hpp"
#include "util/file_names.hpp"

namespace {

// The string after the first "benchmark": ", without reading JSON (the parser under test does
// that). Names the driver would refuse (empty, long, control characters) become "fuzz".
std::string benchmark_name(std::string_view text) {
  constexpr std::string_view key = "\"benchmark\": \"";
  auto at = text.find(key);
  if (at == std::string_view::npos) return "fuzz";
  auto rest = text.substr(at + key.size());
  auto name = rest.substr(0, rest.find('"'));
  if (name.empty() || name.size() > 80 || name.find('\\') != std::string_view::npos) return "fuzz";
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return "fuzz";
  return std::string(name);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  static const auto dir = fuzz::scratch() / "baselines";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto text = fuzz::as_text(data, size);
  const std::string name = benchmark_name(text);
  const auto file = cibench::baseline_file(dir, name);
  fuzz::write_file(file, text);
  std::optional<cibench::Baseline> baseline;
  fuzz::only_errors([&] { baseline = cibench::load_baseline(dir, name); }, file.string());
  cibench::baseline_names(dir); // `gone` baselines: reads every file, never throws
  if (!baseline) return 0;

  // What judge_benchmark (judge/judge.cpp) does next: the verdict, the function changes, the toolchain.
  const cibench::Metrics now = cibench::with_derived(
      {{"Ir", 11609062}, {"Dr", 2800000}, {"Dw", 900000}, {"I1mr", 1500}, {"D1mr", 90000},
       {"D1mw", 1200}, {"ILmr", 15}, {"DLmr", 2}, {"DLmw", 0}});
  const cibench::FunctionInstructions functions = {{"workloads/sorting.cpp:main", 11000000}, {"???:memcpy", 600000}};
  cibench::judge(now, &baseline->metrics, cibench::Thresholds::defaults());
  cibench::top_function_changes(baseline->functions, functions, baseline->functions_complete);
  cibench::toolchain_differences(baseline->toolchain, cibench::Toolchain{});
  return 0;
}

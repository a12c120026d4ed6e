// cachegrind.out, through the istream overload; then what the driver and `ci-bench diff` compute
// from a profile it accepted.
#include "fuzz_support.hpp"
#include "valgrind/cachegrind/cachegrind_parser.hpp"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  constexpr const char* source = "fuzz-input.cachegrind.out";
  std::istringstream in{std::string(fuzz::as_text(data, size))};
  cibench::Profile profile;
  bool parsed = false;
  fuzz::only_errors([&] { profile = cibench::parse_cachegrind(in, source), parsed = true; }, source);
  if (!parsed) return 0;
  // The runner: totals (Error when one does not fit int64), per-function instructions, derived metrics.
  fuzz::only_errors([&] {
    const cibench::Metrics totals = profile.totals_by_event();
    cibench::function_instructions(profile, "/work/project");
    cibench::with_derived(totals);
  }, "");
  return 0;
}

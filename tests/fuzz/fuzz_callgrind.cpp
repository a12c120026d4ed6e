// callgrind.out, through the istream overload; then the file overload (one run in two parts, here
// the same file twice), and what the driver, `ci-bench diff` and `ci-bench folded` compute from a
// profile it accepted.
#include "fuzz_support.hpp"
#include "valgrind/callgrind/callgrind_parser.hpp"
#include "valgrind/callgrind/folded_stacks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  auto profile = fuzz::parse_profile([](std::istream& in, const char* source) { return cibench::parse_callgrind(in, source); },
                                     data, size, "fuzz-input.callgrind.out");
  if (!profile) return 0;
  fuzz::only_errors([&] { cibench::folded_stacks(*profile); }, "");

  const auto file = fuzz::scratch() / "fuzz.callgrind.out";
  fuzz::write_file(file, fuzz::as_text(data, size));
  cibench::looks_like_callgrind(file);
  fuzz::only_errors([&] { cibench::parse_callgrind_files({file, file}); }, file.string());
  return 0;
}

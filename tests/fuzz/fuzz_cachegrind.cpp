// cachegrind.out, through the istream overload; then what the driver and `ci-bench diff` compute
// from a profile it accepted.
#include "fuzz_support.hpp"
#include "valgrind/cachegrind/cachegrind_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  fuzz::parse_profile([](std::istream& in, const char* source) { return cibench::parse_cachegrind(in, source); }, data,
                      size, "fuzz-input.cachegrind.out");
  return 0;
}

#pragma once
// Which host and toolchain measured a set of counts. Counts measured by different toolchains are
// not comparable. (Files call it "fingerprint", the name it had when results.json was defined.)
#include "valgrind/valgrind.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cibench {

struct Toolchain {
  std::string valgrind; // "valgrind-3.19.0"
  std::string cache;    // "I1=32768,8,64 D1=32768,8,64 LL=8388608,16,64", or "off"
  std::string compiler; // from the measured binary's .comment
  std::string libc;     // "glibc 2.36"
  std::string arch;     // "x86_64"
  std::string tool;     // "cachegrind" or "callgrind": regions by calibration or by client requests
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Toolchain, valgrind, cache, compiler, libc, arch, tool)

// This host's part: everything but the compiler and the tool, which belong to each benchmark.
Toolchain host_toolchain(const Valgrind& valgrind, const ValgrindSettings& settings);

// One line per field that differs: "valgrind: valgrind-3.18.1 (baseline) vs valgrind-3.19.0 (now)".
std::vector<std::string> toolchain_differences(const Toolchain& baseline, const Toolchain& now);

} // namespace cibench

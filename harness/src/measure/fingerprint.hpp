#pragma once
// What produced a set of counts. Counts from different fingerprints are not comparable.
#include "config/config.hpp"
#include "valgrind/valgrind.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cibench {

struct Fingerprint {
  std::string valgrind; // "valgrind-3.19.0"
  std::string cache;    // "I1=32768,8,64 D1=32768,8,64 LL=8388608,16,64", or "off"
  std::string compiler; // from the measured binary's .comment
  std::string libc;     // "glibc 2.36"
  std::string arch;     // "x86_64"
  std::string tool;     // "cachegrind" or "callgrind": regions by calibration or by client requests
};

// Everything but the compiler and the tool, which belong to each benchmark.
Fingerprint host_fingerprint(const Valgrind& valgrind, const ValgrindSettings& settings);

// One line per field that differs: "valgrind: valgrind-3.18.1 (baseline) vs valgrind-3.19.0 (now)".
std::vector<std::string> fingerprint_differences(const Fingerprint& baseline, const Fingerprint& now);

void to_json(nlohmann::json& j, const Fingerprint& f);
void from_json(const nlohmann::json& j, Fingerprint& f);

} // namespace cibench

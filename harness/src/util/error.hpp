#pragma once
// The one exception type of ci-bench: its message is complete and printed as it is
// ("ci-bench: error: <what>"), so it names the file, line or benchmark at fault.
#include <stdexcept>
#include <string>

namespace cibench {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

} // namespace cibench

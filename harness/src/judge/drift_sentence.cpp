#include "judge/drift_sentence.hpp"

#include "util/utf8.hpp"

#include <fmt/format.h>

namespace cibench {

std::string drift_sentence(const Drift& d) {
  const std::string steps = d.each_step_under_warn
                                ? fmt::format("each step under the {:g} % warn level", d.warn_pct)
                                : fmt::format("largest step {:+.1f} %", d.largest_step_pct);
  return fmt::format("{:+.1f} % over the last {} points of {}, {} (drift threshold {:g} %)", d.change_pct, d.points,
                     d.branch.empty() ? "every branch" : valid_utf8(d.branch), steps, d.threshold_pct);
}

} // namespace cibench

#include "wallclock/block_comparison.hpp"

#include "util/error.hpp"

#include <cmath>
#include <fmt/format.h>

namespace cibench {
namespace {

std::vector<double> block_medians(const std::vector<std::vector<double>>& blocks, const char* side) {
  std::vector<double> medians;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].empty()) throw Error(ErrorKind::internal, fmt::format("{} side, block {}: no samples", side, i + 1));
    for (double v : blocks[i])
      if (!std::isfinite(v) || v <= 0)
        throw Error(ErrorKind::parse, fmt::format("{} side, block {}: a time of {} ns cannot be compared", side, i + 1, v));
    medians.push_back(stats::quantile(blocks[i], 0.5));
  }
  return medians;
}

double pct(double log_ratio) { return std::expm1(log_ratio) * 100; }

} // namespace

BlockComparison compare_blocks(const std::vector<std::vector<double>>& candidate,
                               const std::vector<std::vector<double>>& other, double threshold_pct, double alpha) {
  if (candidate.size() != other.size())
    throw Error(ErrorKind::internal, fmt::format("{} candidate blocks against {} other blocks", candidate.size(), other.size()));
  if (candidate.size() < kMinBlocks)
    throw Error(ErrorKind::config, fmt::format("{} block(s): a comparison needs at least {}", candidate.size(), kMinBlocks));
  BlockComparison c;
  c.blocks = candidate.size();
  c.threshold_pct = threshold_pct;
  c.alpha = alpha;
  c.candidate_medians = block_medians(candidate, "candidate");
  c.other_medians = block_medians(other, "other");

  std::vector<double> d;
  for (std::size_t i = 0; i < c.blocks; ++i) d.push_back(std::log(c.candidate_medians[i] / c.other_medians[i]));
  c.t = stats::paired_t_test(d);
  c.wilcoxon = stats::wilcoxon_signed_rank(d);
  c.change_pct = pct(c.t.mean);
  c.change_95_pct = {pct(c.t.mean_95.low), pct(c.t.mean_95.high)};

  // A/A: each side against itself, block 2j against block 2j + 1. Centre and spread by median and
  // MAD (scaled to a normal sd): one block the machine disturbed would otherwise lift the floor
  // past any real change (seen here: a floor of 44 % from one such block among 30).
  std::vector<double> e;
  for (const auto* medians : {&c.candidate_medians, &c.other_medians})
    for (std::size_t j = 0; j + 1 < medians->size(); j += 2) e.push_back(std::log((*medians)[j] / (*medians)[j + 1]));
  const double centre = stats::quantile(e, 0.5);
  std::vector<double> deviations;
  for (double v : e) deviations.push_back(std::abs(v - centre));
  const double spread = 1.4826 * stats::quantile(deviations, 0.5);
  const double n = static_cast<double>(e.size());
  c.noise_pairs = e.size();
  c.noise_floor_pct = pct(std::abs(centre) + stats::student_t_quantile(0.975, n - 1) * spread / std::sqrt(n));

  // Both tests must agree: a few blocks that a burst of other work hit on one side only make the
  // d_i heavy-tailed, and then t alone is too confident (seen here: 3 of 40 A/A comparisons at
  // t's p < 0.05 past the floor while other builds ran); the signed-rank test is not moved by them.
  const bool significant = c.significant();
  if (significant && c.change_pct > c.decisive_pct()) c.verdict = TimeVerdict::regression;
  else if (significant && c.change_pct < -c.decisive_pct()) c.verdict = TimeVerdict::improvement;
  return c;
}

} // namespace cibench

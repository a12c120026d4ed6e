#pragma once
// Is the candidate slower than the other build, when both were timed in the same session in
// interleaved blocks (`ci-bench time --compare`)? Samples within one block share the machine's
// state of that moment, and that state drifts between blocks, so the samples are not independent
// draws: a test over them is far too confident. The block is the unit instead. Per block i, the
// median of each side and d_i = ln(candidate_i / other_i): drift that hits both sides of a block
// cancels in d_i, and the d_i are close to independent. The change is exp(mean d) − 1, with a
// paired t interval and p (df = blocks − 1), and Wilcoxon's signed-rank p beside it.
//
// The noise floor is measured from the same blocks: each side against itself, block 2j against
// block 2j + 1 (the same build, one block apart). Its upper 95 % bound, |median e| +
// t·1.4826·MAD(e)/√n (median and MAD, so that one disturbed block does not decide it), is the size
// of change that identical builds show here and now. A change is called only when p < alpha and
// |change| > max(threshold, floor), where p < alpha means both tests, t and signed-rank.
#include "wallclock/statistics.hpp"
#include "wallclock/time_comparison.hpp"

#include <cstddef>
#include <vector>

namespace cibench {

// Fewer blocks leave too few A/A pairs for a floor, and the t quantile explodes (df = 3: 3.18).
constexpr std::size_t kMinBlocks = 4;

struct BlockComparison {
  std::size_t blocks = 0;
  std::vector<double> candidate_medians, other_medians; // ns per iteration, one per block
  double change_pct = 0;          // (exp(mean d) − 1) · 100: the candidate's change against the other
  stats::Interval change_95_pct;  // from the paired t interval of mean d
  stats::PairedTTest t;           // on d
  stats::SignedRank wilcoxon;     // on d, beside t
  double noise_floor_pct = 0;     // (exp(robust upper 95 % bound of |A/A change|) − 1) · 100
  std::size_t noise_pairs = 0;    // A/A pairs the floor rests on
  double threshold_pct = 0;       // as given
  double alpha = 0.05;            // as given: both tests' p must be below it
  TimeVerdict verdict = TimeVerdict::no_significant_change;

  double decisive_pct() const { return threshold_pct > noise_floor_pct ? threshold_pct : noise_floor_pct; }
  // Paired t and Wilcoxon's signed-rank test both below alpha.
  bool significant() const { return t.p < alpha && wilcoxon.p < alpha; }
};

// `candidate` and `other`: per block, that side's samples (ns per iteration). Throws Error when
// the sides have different block counts, fewer than kMinBlocks, an empty block, or a sample that
// is not a positive finite number.
BlockComparison compare_blocks(const std::vector<std::vector<double>>& candidate,
                               const std::vector<std::vector<double>>& other, double threshold_pct, double alpha = 0.05);

} // namespace cibench

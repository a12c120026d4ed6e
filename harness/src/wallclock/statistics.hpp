#pragma once
// Statistics for wall-clock samples: summaries, intervals, outliers and two-sample tests.
// Plain functions on vectors of doubles; no state, no I/O.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cibench::stats {

struct Interval {
  double low = 0;
  double high = 0;
};

struct Summary {
  std::size_t n = 0;
  double mean = 0, sd = 0; // sd: sample standard deviation (n - 1)
  double min = 0, max = 0;
  double median = 0, p95 = 0, p99 = 0;
};

double mean(const std::vector<double>& x);
double sample_sd(const std::vector<double>& x); // 0 for fewer than two samples

// The q-th quantile (0..1) by linear interpolation between closest ranks: position (n - 1)·q in
// the sorted samples (Hyndman & Fan type 7, the default of R, NumPy and Excel's PERCENTILE.INC).
double quantile(std::vector<double> x, double q);

Summary summarize(const std::vector<double>& x); // throws Error on an empty vector

// I_x(a, b), the regularized incomplete beta function (continued fraction, modified Lentz).
double regularized_incomplete_beta(double a, double b, double x);

// Student's t distribution with `df` degrees of freedom (df may be fractional).
double student_t_cdf(double t, double df);
double student_t_quantile(double p, double df);

// The mean's confidence interval: mean ± t(1 - (1 - level)/2, n - 1) · sd / √n.
Interval mean_interval(const std::vector<double>& x, double level = 0.95);

// A percentile bootstrap interval for the median: `resamples` resamples drawn with a generator
// seeded by `seed`, so the same samples always give the same interval.
Interval bootstrap_median_interval(const std::vector<double>& x, double level = 0.95, int resamples = 2000,
                                   std::uint64_t seed = 42);

// Tukey's fences: mild outliers lie beyond 1.5·IQR from the quartiles, severe ones beyond 3·IQR.
// Counted, never dropped.
struct Outliers {
  double q1 = 0, q3 = 0;
  std::size_t mild = 0;   // beyond 1.5·IQR but within 3·IQR
  std::size_t severe = 0; // beyond 3·IQR
};
Outliers tukey_outliers(const std::vector<double>& x);

// Welch's unequal-variances t-test, two-sided; df by Welch–Satterthwaite.
struct WelchTest {
  double t = 0, df = 0, p = 1;
};
WelchTest welch_t_test(const std::vector<double>& a, const std::vector<double>& b);

// Mann–Whitney U, two-sided. U is that of the first sample: the pairs (a_i, b_j) with a_i > b_j,
// a tie counting a half. The exact p sums the null distribution of U over every arrangement of the
// pooled ranks; it holds only without ties, and is cheap while both samples are small (counts stay
// exact in 64 bits up to 20 each: C(40, 20) ≈ 1.4e11). The normal approximation has tie and
// continuity corrections (SciPy's mannwhitneyu with method="asymptotic"). `automatic` picks exact
// where it holds, as SciPy's default does (SciPy's cut-off is 8; 20 is still instant here).
enum class MannWhitneyMethod { automatic, exact, normal_approximation };
std::string to_string(MannWhitneyMethod m); // "exact", "normal approximation"
constexpr std::size_t kMannWhitneyExactMax = 20;
struct MannWhitney {
  double u = 0, p = 1;
  MannWhitneyMethod method = MannWhitneyMethod::normal_approximation; // the one used: never automatic
};
// Throws Error on an empty sample, or when `exact` is asked for samples with ties or past the limit.
MannWhitney mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b,
                           MannWhitneyMethod method = MannWhitneyMethod::automatic);

// A percentile bootstrap interval for mean(a) / mean(b) (a speedup when a is the baseline's
// times and b the candidate's), seeded like bootstrap_median_interval.
Interval bootstrap_ratio_of_means_interval(const std::vector<double>& a, const std::vector<double>& b,
                                           double level = 0.95, int resamples = 2000, std::uint64_t seed = 42);

// Cohen's d: the difference of means (b − a) over the pooled sample standard deviation.
double cohens_d(const std::vector<double>& a, const std::vector<double>& b);

// Hedges' g: Cohen's d times the exact small-sample correction
// J(df) = Γ(df/2) / (√(df/2) · Γ((df − 1)/2)), df = n_a + n_b − 2 (Hedges 1981), which removes d's
// upward bias. With ten samples a side J = 0.958; at a hundred, 0.996.
double hedges_g(const std::vector<double>& a, const std::vector<double>& b);

// Student's paired t-test on differences d (one per pair), two-sided: t = mean(d) / (sd(d)/√n),
// df = n − 1. When every difference is equal (sd 0), p is 1 for zero differences and 0 otherwise.
struct PairedTTest {
  double mean = 0, sd = 0, t = 0, df = 0, p = 1;
  Interval mean_95; // mean(d) ± t(0.975, df)·sd/√n
};
PairedTTest paired_t_test(const std::vector<double>& d); // throws Error for fewer than two values

// Wilcoxon's signed-rank test on differences d, two-sided. Zeros are dropped (Wilcoxon's own way);
// ties in |d| get mid-ranks. p is exact: W+ (the positive differences' rank sum) against its
// distribution over all 2^n sign assignments, counted on doubled ranks so that ties stay exact
// (the distribution conditional on the ties). Cheap while n is small: n·n(n+1) steps.
struct SignedRank {
  double w_plus = 0, p = 1;
  std::size_t n = 0; // non-zero differences
};
constexpr std::size_t kSignedRankMax = 1000;
SignedRank wilcoxon_signed_rank(const std::vector<double>& d); // throws Error past kSignedRankMax

} // namespace cibench::stats

#include "wallclock/statistics.hpp"

#include "util/error.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <numeric>
#include <random>

namespace cibench::stats {

double mean(const std::vector<double>& x) {
  if (x.empty()) throw Error(ErrorKind::internal, "statistics: no samples");
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

double sample_sd(const std::vector<double>& x) {
  if (x.size() < 2) return 0;
  const double m = mean(x);
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

double quantile(std::vector<double> x, double q) {
  if (x.empty()) throw Error(ErrorKind::internal, "statistics: no samples");
  std::sort(x.begin(), x.end());
  const double pos = (static_cast<double>(x.size()) - 1) * std::clamp(q, 0.0, 1.0);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (pos - static_cast<double>(lo)) * (x[hi] - x[lo]);
}

Summary summarize(const std::vector<double>& x) {
  if (x.empty()) throw Error(ErrorKind::internal, "statistics: no samples");
  auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  return {x.size(), mean(x), sample_sd(x), *lo, *hi, quantile(x, 0.5), quantile(x, 0.95), quantile(x, 0.99)};
}

namespace {

// The continued fraction of I_x(a, b), evaluated by the modified Lentz method.
double beta_continued_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300, eps = 1e-15;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::abs(d) < tiny) d = tiny;
  d = 1 / d;
  double f = d;
  for (int m = 1; m <= 10'000; ++m) {
    for (int step = 0; step < 2; ++step) {
      const double num = step == 0 ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
                                   : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
      d = 1 + num * d;
      if (std::abs(d) < tiny) d = tiny;
      c = 1 + num / c;
      if (std::abs(c) < tiny) c = tiny;
      d = 1 / d;
      f *= c * d;
      if (step == 1 && std::abs(c * d - 1) < eps) return f;
    }
  }
  return f;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

} // namespace

double regularized_incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double log_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  // The fraction converges fast for x < (a + 1)/(a + b + 2); otherwise use I_x(a,b) = 1 − I_{1−x}(b,a).
  if (x < (a + 1) / (a + b + 2)) return std::exp(log_front) * beta_continued_fraction(a, b, x) / a;
  return 1 - std::exp(log_front) * beta_continued_fraction(b, a, 1 - x) / b;
}

double student_t_cdf(double t, double df) {
  if (!(df > 0)) throw Error(ErrorKind::internal, "statistics: degrees of freedom must be positive");
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  const double tail = 0.5 * regularized_incomplete_beta(df / 2, 0.5, df / (df + t * t)); // P(T > |t|)
  return t >= 0 ? 1 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (!(p > 0 && p < 1)) throw Error(ErrorKind::internal, "statistics: a quantile needs 0 < p < 1");
  double lo = -1, hi = 1;
  while (student_t_cdf(lo, df) > p) lo *= 2;
  while (student_t_cdf(hi, df) < p) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * std::max(1.0, std::abs(hi)); ++i) {
    const double mid = (lo + hi) / 2;
    (student_t_cdf(mid, df) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

Interval mean_interval(const std::vector<double>& x, double level) {
  const double m = mean(x);
  if (x.size() < 2) return {m, m};
  const double half = student_t_quantile(1 - (1 - level) / 2, static_cast<double>(x.size() - 1)) * sample_sd(x) /
                      std::sqrt(static_cast<double>(x.size()));
  return {m - half, m + half};
}

Interval bootstrap_median_interval(const std::vector<double>& x, double level, int resamples, std::uint64_t seed) {
  if (x.empty()) throw Error(ErrorKind::internal, "statistics: no samples");
  std::mt19937_64 rng(seed);
  std::vector<double> medians, resample(x.size());
  medians.reserve(static_cast<size_t>(resamples));
  for (int r = 0; r < resamples; ++r) {
    for (auto& v : resample) v = x[rng() % x.size()]; // modulo bias is negligible for sample counts
    medians.push_back(quantile(resample, 0.5));
  }
  return {quantile(medians, (1 - level) / 2), quantile(medians, 1 - (1 - level) / 2)};
}

Interval bootstrap_ratio_of_means_interval(const std::vector<double>& a, const std::vector<double>& b, double level,
                                           int resamples, std::uint64_t seed) {
  if (a.empty() || b.empty()) throw Error(ErrorKind::internal, "statistics: no samples");
  std::mt19937_64 rng(seed);
  std::vector<double> ratios, ra(a.size()), rb(b.size());
  for (int r = 0; r < resamples; ++r) {
    for (auto& v : ra) v = a[rng() % a.size()];
    for (auto& v : rb) v = b[rng() % b.size()];
    ratios.push_back(mean(ra) / mean(rb));
  }
  return {quantile(ratios, (1 - level) / 2), quantile(ratios, 1 - (1 - level) / 2)};
}

Outliers tukey_outliers(const std::vector<double>& x) {
  Outliers o;
  o.q1 = quantile(x, 0.25);
  o.q3 = quantile(x, 0.75);
  const double iqr = o.q3 - o.q1;
  for (double v : x) {
    const double beyond = std::max(o.q1 - v, v - o.q3);
    if (beyond > 3 * iqr) ++o.severe;
    else if (beyond > 1.5 * iqr) ++o.mild;
  }
  return o;
}

WelchTest welch_t_test(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() < 2 || b.size() < 2) throw Error(ErrorKind::internal, "statistics: Welch's t-test needs at least two samples on each side");
  const double va = std::pow(sample_sd(a), 2) / static_cast<double>(a.size());
  const double vb = std::pow(sample_sd(b), 2) / static_cast<double>(b.size());
  WelchTest w;
  if (va + vb == 0) { // no spread at all: equal means are no difference, unequal ones are certain
    w.p = mean(a) == mean(b) ? 1 : 0;
    w.t = mean(a) == mean(b) ? 0 : std::copysign(std::numeric_limits<double>::infinity(), mean(a) - mean(b));
    w.df = static_cast<double>(a.size() + b.size() - 2);
    return w;
  }
  w.t = (mean(a) - mean(b)) / std::sqrt(va + vb);
  w.df = (va + vb) * (va + vb) /
         (va * va / static_cast<double>(a.size() - 1) + vb * vb / static_cast<double>(b.size() - 1));
  w.p = 2 * (1 - student_t_cdf(std::abs(w.t), w.df));
  return w;
}

std::string to_string(MannWhitneyMethod m) {
  switch (m) {
  case MannWhitneyMethod::automatic: return "automatic";
  case MannWhitneyMethod::exact: return "exact";
  case MannWhitneyMethod::normal_approximation: return "normal approximation";
  }
  return "?";
}

namespace {

// P(U <= u) when there are no ties, from the number of arrangements of n1 a's and n2 b's with each
// value of U: f(m, n, u) = f(m − 1, n, u − n) + f(m, n − 1, u), as the largest of the m + n values
// is an a (beating all n b's) or a b. Additions only, in integers: exact, never rounded.
double exact_u_cdf(std::size_t n1, std::size_t n2, std::size_t u) {
  // f[m][n] holds the counts for U = 0 … m·n.
  std::vector<std::vector<std::vector<std::uint64_t>>> f(n1 + 1, std::vector<std::vector<std::uint64_t>>(n2 + 1));
  for (std::size_t m = 0; m <= n1; ++m)
    for (std::size_t n = 0; n <= n2; ++n) {
      if (m == 0 || n == 0) {
        f[m][n] = {1};
        continue;
      }
      auto& counts = f[m][n];
      counts.assign(m * n + 1, 0);
      for (std::size_t v = 0; v < f[m][n - 1].size(); ++v) counts[v] += f[m][n - 1][v];
      for (std::size_t v = 0; v < f[m - 1][n].size(); ++v) counts[v + n] += f[m - 1][n][v];
    }
  const auto& counts = f[n1][n2];
  std::uint64_t below = 0, total = 0;
  for (std::size_t v = 0; v < counts.size(); ++v) {
    total += counts[v];
    if (v <= u) below += counts[v];
  }
  return static_cast<double>(below) / static_cast<double>(total);
}

} // namespace

MannWhitney mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b, MannWhitneyMethod method) {
  if (a.empty() || b.empty()) throw Error(ErrorKind::internal, "statistics: Mann-Whitney U needs samples on both sides");
  std::vector<std::pair<double, int>> all;
  for (double v : a) all.push_back({v, 0});
  for (double v : b) all.push_back({v, 1});
  std::sort(all.begin(), all.end());
  const double n1 = static_cast<double>(a.size()), n2 = static_cast<double>(b.size()), n = n1 + n2;
  double rank_sum_a = 0, tie_term = 0;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j].first == all[i].first) ++j;
    const double avg_rank = (static_cast<double>(i + j) + 1) / 2, t = static_cast<double>(j - i);
    for (size_t k = i; k < j; ++k)
      if (all[k].second == 0) rank_sum_a += avg_rank;
    tie_term += t * t * t - t;
    i = j;
  }
  MannWhitney r;
  r.u = rank_sum_a - n1 * (n1 + 1) / 2;
  const bool ties = tie_term > 0, small = a.size() <= kMannWhitneyExactMax && b.size() <= kMannWhitneyExactMax;
  if (method == MannWhitneyMethod::exact && (ties || !small))
    throw Error(ErrorKind::internal, fmt::format("statistics: an exact Mann-Whitney p needs samples without ties of at most {} each "
                            "(here {} and {}{})",
                            kMannWhitneyExactMax, a.size(), b.size(), ties ? ", with ties" : ""));
  if (method == MannWhitneyMethod::exact || (method == MannWhitneyMethod::automatic && !ties && small)) {
    // Two-sided: twice the tail beyond the observed U on its side; the distribution is symmetric.
    r.method = MannWhitneyMethod::exact;
    const double nearer = std::min(r.u, n1 * n2 - r.u); // an integer: there are no ties
    r.p = std::min(1.0, 2 * exact_u_cdf(a.size(), b.size(), static_cast<std::size_t>(nearer)));
    return r;
  }
  r.method = MannWhitneyMethod::normal_approximation;
  const double mu = n1 * n2 / 2;
  const double sigma = std::sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))));
  if (sigma == 0) return r;
  const double z = (std::abs(r.u - mu) - 0.5) / sigma;
  r.p = std::min(1.0, 2 * (1 - normal_cdf(std::max(z, 0.0))));
  return r;
}

double cohens_d(const std::vector<double>& a, const std::vector<double>& b) {
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  const double pooled = std::sqrt(((na - 1) * std::pow(sample_sd(a), 2) + (nb - 1) * std::pow(sample_sd(b), 2)) / (na + nb - 2));
  return pooled == 0 ? 0 : (mean(b) - mean(a)) / pooled;
}

double hedges_g(const std::vector<double>& a, const std::vector<double>& b) {
  const double df = static_cast<double>(a.size() + b.size()) - 2;
  if (!(df > 1)) throw Error(ErrorKind::internal, "statistics: Hedges' g needs at least four samples in all");
  // J(df) through log-gamma: Γ itself overflows past df ≈ 340.
  const double j = std::exp(std::lgamma(df / 2) - std::lgamma((df - 1) / 2)) / std::sqrt(df / 2);
  return cohens_d(a, b) * j;
}

PairedTTest paired_t_test(const std::vector<double>& d) {
  if (d.size() < 2) throw Error(ErrorKind::internal, "paired t-test: fewer than two pairs");
  PairedTTest r;
  const double n = static_cast<double>(d.size());
  r.mean = mean(d);
  r.sd = sample_sd(d);
  r.df = n - 1;
  const double se = r.sd / std::sqrt(n);
  if (se == 0) {
    r.t = r.mean == 0 ? 0 : std::copysign(std::numeric_limits<double>::infinity(), r.mean);
    r.p = r.mean == 0 ? 1 : 0;
    r.mean_95 = {r.mean, r.mean};
    return r;
  }
  r.t = r.mean / se;
  r.p = std::min(1.0, 2 * student_t_cdf(-std::abs(r.t), r.df));
  const double q = student_t_quantile(0.975, r.df);
  r.mean_95 = {r.mean - q * se, r.mean + q * se};
  return r;
}

SignedRank wilcoxon_signed_rank(const std::vector<double>& d) {
  std::vector<double> nonzero;
  for (double v : d)
    if (v != 0) nonzero.push_back(v);
  SignedRank r;
  r.n = nonzero.size();
  if (r.n > kSignedRankMax)
    throw Error(ErrorKind::internal, fmt::format("signed-rank test: {} differences, the exact test stops at {}", r.n, kSignedRankMax));
  if (r.n == 0) return r;
  std::vector<std::size_t> order(r.n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return std::abs(nonzero[a]) < std::abs(nonzero[b]); });
  // Doubled mid-ranks are integers: a run of ties over 1-based ranks i..j gets i + j each.
  std::vector<std::size_t> rank2(r.n);
  for (std::size_t i = 0; i < r.n;) {
    std::size_t j = i;
    while (j + 1 < r.n && std::abs(nonzero[order[j + 1]]) == std::abs(nonzero[order[i]])) ++j;
    for (std::size_t k = i; k <= j; ++k) rank2[order[k]] = (i + 1) + (j + 1);
    i = j + 1;
  }
  std::size_t total2 = 0, observed2 = 0;
  for (std::size_t i = 0; i < r.n; ++i) {
    total2 += rank2[i];
    if (nonzero[i] > 0) observed2 += rank2[i];
  }
  r.w_plus = static_cast<double>(observed2) / 2;
  // ways[s]: how many sign assignments give a doubled W+ of s (long double: 2^1000 overflows integers).
  std::vector<long double> ways(total2 + 1, 0);
  ways[0] = 1;
  std::size_t reach = 0;
  for (std::size_t i = 0; i < r.n; ++i) {
    for (std::size_t s = reach + 1; s-- > 0;)
      if (ways[s] != 0) ways[s + rank2[i]] += ways[s];
    reach += rank2[i];
  }
  // As far from the centre (total2 / 2) as observed, on either side; integers, so no rounding.
  const auto distance = [&](std::size_t s) { return s * 2 > total2 ? s * 2 - total2 : total2 - s * 2; };
  long double extreme = 0, all = 0;
  for (std::size_t s = 0; s <= total2; ++s) {
    all += ways[s];
    if (distance(s) >= distance(observed2)) extreme += ways[s];
  }
  r.p = static_cast<double>(std::min<long double>(1, extreme / all));
  return r;
}

} // namespace cibench::stats

#pragma once
// measure_time: scoped timing for production code.
//
//   void store(const Record& r) {
//     CIBENCH_MEASURE_TIME("consensus.store");          // times the rest of this block
//     auto row = CIBENCH_MEASURE_TIME_EXPR("encode", encode(r));  // times one expression
//     ...
//   }
//   cibench::timing::write_json_lines(stderr);          // one JSON line per label, when you like
//
// Compiled out entirely unless CIBENCH_INSTRUMENTATION is defined (CMake option
// CIBENCH_INSTRUMENTATION=ON): the statement form becomes nothing and the expression form the bare
// expression, so a disabled build executes the same instructions as one without the macro.
//
// Enabled: nested timers form a hierarchy ("consensus.store/encode"). Each thread records into
// nodes of its own (one writer each, relaxed atomics so that a flush from another thread reads
// them safely), so threads never contend on a hot label. Per label: count, total, min, max, and a
// log-linear histogram (8 steps per power of two, so percentiles are within 9 %) for p50/p95/p99.
//
// The clock: on x86-64 with an invariant TSC (CPUID 0x80000007, EDX bit 8: it ticks at one rate
// whatever the core's frequency or sleep state), the time-stamp counter, read with rdtsc and
// turned into nanoseconds by a rate calibrated once against steady_clock (a 2 ms wait at the first
// timer). rdtsc reads in a few ns where steady_clock::now() costs about 30 here. Without an
// invariant TSC, steady_clock.

#if defined(CIBENCH_INSTRUMENTATION)

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <x86intrin.h>
#define CIBENCH_TIMING_TSC 1
#endif

namespace cibench::timing {

struct Site {
  const char* label;
};

namespace detail {

constexpr int kSubBuckets = 8; // per power of two
constexpr int kBuckets = 64 * kSubBuckets;

inline int bucket_of(std::uint64_t ns) {
  if (ns < kSubBuckets) return static_cast<int>(ns);
  const int power = 63 - __builtin_clzll(ns); // ns >= 8, so power >= 3
  const int sub = static_cast<int>((ns >> (power - 3)) & (kSubBuckets - 1));
  return power * kSubBuckets + sub;
}

inline std::uint64_t bucket_low(int b) {
  if (b < kSubBuckets) return static_cast<std::uint64_t>(b);
  const int power = b / kSubBuckets, sub = b % kSubBuckets;
  return (std::uint64_t{1} << power) + (static_cast<std::uint64_t>(sub) << (power - 3));
}

// Ticks and their length in nanoseconds: the invariant TSC, or steady_clock's nanoseconds.
struct Clock {
  bool tsc = false;
  double ns_per_tick = 1;
};

inline std::uint64_t steady_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

inline Clock calibrate_clock() {
#ifdef CIBENCH_TIMING_TSC
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(0x80000000u, &a, &b, &c, &d) && a >= 0x80000007u && __get_cpuid(0x80000007u, &a, &b, &c, &d) &&
      (d & (1u << 8))) {
    // Both clocks count wall time, so a preemption during the wait changes neither rate.
    const std::uint64_t ns0 = steady_ns(), ticks0 = __rdtsc();
    std::uint64_t ns1 = ns0;
    while (ns1 - ns0 < 2'000'000) ns1 = steady_ns();
    const std::uint64_t ticks1 = __rdtsc();
    if (ticks1 > ticks0) return {true, static_cast<double>(ns1 - ns0) / static_cast<double>(ticks1 - ticks0)};
  }
#endif
  return {};
}

inline const Clock& tick_clock() {
  static const Clock c = calibrate_clock();
  return c;
}

inline std::uint64_t ticks() {
#ifdef CIBENCH_TIMING_TSC
  if (tick_clock().tsc) return __rdtsc();
#endif
  return steady_ns();
}

// One thread's figures for one path. Only its own thread writes; flushes read.
struct Node {
  const Site* site = nullptr;
  Node* parent = nullptr;
  std::vector<std::pair<const Site*, Node*>> children; // touched by the owning thread only
  std::atomic<std::uint64_t> count{0}, total{0}, min{UINT64_MAX}, max{0};
  std::array<std::atomic<std::uint64_t>, kBuckets> histogram{};

  void record(std::uint64_t ns) {
    auto bump = [](std::atomic<std::uint64_t>& a, std::uint64_t v) { a.store(a.load(std::memory_order_relaxed) + v, std::memory_order_relaxed); };
    bump(count, 1);
    bump(total, ns);
    if (ns < min.load(std::memory_order_relaxed)) min.store(ns, std::memory_order_relaxed);
    if (ns > max.load(std::memory_order_relaxed)) max.store(ns, std::memory_order_relaxed);
    bump(histogram[bucket_of(ns)], 1);
  }

  std::string path() const {
    return parent && parent->site ? parent->path() + "/" + site->label : (site ? site->label : "");
  }
};

// Every node of every thread, kept after the thread ends so its figures still flush.
struct Registry {
  std::mutex mutex;
  std::vector<std::unique_ptr<Node>> nodes;

  Node* add(const Site* site, Node* parent) {
    std::lock_guard lock(mutex);
    nodes.push_back(std::make_unique<Node>());
    nodes.back()->site = site;
    nodes.back()->parent = parent;
    return nodes.back().get();
  }
};

inline Registry& registry() {
  static Registry r;
  return r;
}

inline Node*& current() {
  thread_local Node* node = registry().add(nullptr, nullptr); // this thread's root
  return node;
}

inline Node* child(Node* parent, const Site* site) {
  for (auto& [s, n] : parent->children)
    if (s == site) return n;
  Node* n = registry().add(site, parent);
  parent->children.emplace_back(site, n);
  return n;
}

class ScopedTimer {
public:
  explicit ScopedTimer(const Site& site) : node_(child(current(), &site)), saved_(current()) {
    current() = node_;
    start_ = ticks();
  }
  ~ScopedTimer() {
    const std::uint64_t now = ticks();
    const std::uint64_t elapsed = now > start_ ? now - start_ : 0; // a thread moved to a core whose TSC lags
    node_->record(static_cast<std::uint64_t>(static_cast<double>(elapsed) * tick_clock().ns_per_tick));
    current() = saved_;
  }
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

private:
  Node* node_;
  Node* saved_;
  std::uint64_t start_;
};

} // namespace detail

struct LabelStats {
  std::string path; // "outer/inner"
  std::uint64_t count = 0, total_ns = 0, min_ns = 0, max_ns = 0;
  std::uint64_t p50_ns = 0, p95_ns = 0, p99_ns = 0; // the low edge of the histogram bucket, clamped to [min, max]
};

// Every label's figures, merged over threads, sorted by path.
inline std::vector<LabelStats> snapshot() {
  struct Merged {
    LabelStats stats;
    std::array<std::uint64_t, detail::kBuckets> histogram{};
  };
  std::map<std::string, Merged> by_path;
  {
    auto& r = detail::registry();
    std::lock_guard lock(r.mutex);
    for (auto& n : r.nodes) {
      const std::uint64_t count = n->count.load(std::memory_order_relaxed);
      if (!n->site || count == 0) continue;
      Merged& m = by_path[n->path()];
      if (m.stats.count == 0) m.stats.min_ns = UINT64_MAX;
      m.stats.count += count;
      m.stats.total_ns += n->total.load(std::memory_order_relaxed);
      m.stats.min_ns = std::min(m.stats.min_ns, n->min.load(std::memory_order_relaxed));
      m.stats.max_ns = std::max(m.stats.max_ns, n->max.load(std::memory_order_relaxed));
      for (int b = 0; b < detail::kBuckets; ++b) m.histogram[b] += n->histogram[b].load(std::memory_order_relaxed);
    }
  }
  std::vector<LabelStats> out;
  for (auto& [path, m] : by_path) {
    m.stats.path = path;
    auto percentile = [&](double q) {
      const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(m.stats.count - 1));
      std::uint64_t seen = 0;
      for (int b = 0; b < detail::kBuckets; ++b)
        if ((seen += m.histogram[b]) > rank) return std::clamp(detail::bucket_low(b), m.stats.min_ns, m.stats.max_ns);
      return m.stats.max_ns;
    };
    m.stats.p50_ns = percentile(0.50);
    m.stats.p95_ns = percentile(0.95);
    m.stats.p99_ns = percentile(0.99);
    out.push_back(m.stats);
  }
  return out;
}

// One JSON object a line per label: {"label":"a/b","count":3,"total_ns":...,"p99_ns":...}.
inline void write_json_lines(std::FILE* out) {
  for (auto& s : snapshot()) {
    std::string label;
    for (char c : s.path) {
      if (c == '"' || c == '\\') label += '\\';
      if (static_cast<unsigned char>(c) < 0x20) continue;
      label += c;
    }
    std::fprintf(out,
                 "{\"label\":\"%s\",\"count\":%llu,\"total_ns\":%llu,\"min_ns\":%llu,\"max_ns\":%llu,"
                 "\"p50_ns\":%llu,\"p95_ns\":%llu,\"p99_ns\":%llu}\n",
                 label.c_str(), static_cast<unsigned long long>(s.count), static_cast<unsigned long long>(s.total_ns),
                 static_cast<unsigned long long>(s.min_ns), static_cast<unsigned long long>(s.max_ns),
                 static_cast<unsigned long long>(s.p50_ns), static_cast<unsigned long long>(s.p95_ns),
                 static_cast<unsigned long long>(s.p99_ns));
  }
  std::fflush(out);
}

} // namespace cibench::timing

#define CIBENCH_TIMING_CONCAT_(a, b) a##b
#define CIBENCH_TIMING_CONCAT(a, b) CIBENCH_TIMING_CONCAT_(a, b)

#define CIBENCH_MEASURE_TIME(LABEL)                                                                    \
  static const ::cibench::timing::Site CIBENCH_TIMING_CONCAT(cibench_site_, __LINE__){LABEL};          \
  const ::cibench::timing::detail::ScopedTimer CIBENCH_TIMING_CONCAT(cibench_timer_, __LINE__)(        \
      CIBENCH_TIMING_CONCAT(cibench_site_, __LINE__))

#define CIBENCH_MEASURE_TIME_EXPR(LABEL, ...)                                                          \
  ([&]() -> decltype(auto) {                                                                           \
    CIBENCH_MEASURE_TIME(LABEL);                                                                       \
    return __VA_ARGS__;                                                                                \
  }())

#else // instrumentation off: nothing at all

#define CIBENCH_MEASURE_TIME(LABEL) static_assert(true, "")
#define CIBENCH_MEASURE_TIME_EXPR(LABEL, ...) (__VA_ARGS__)

#endif

#pragma once
// Trend and drift of one metric of one benchmark over a window of points (pure; see docs/history-and-board.md
// for the definitions in the user's words).
//   change   (last − first) / first of the values present in the window, in percent
//   arrow    ↑ improving when change < −stable_pct, ↓ declining when change > +stable_pct (or when
//            the first value is 0 and the last is not: a rise no percentage measures), else →
//   steps    each change from one present value to the next, in percent
//   drifting change > drift_pct: flagged whether or not any single step reached the warn level
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

struct TrendRule {
  double drift_pct = 5;   // [drift] threshold
  double warn_pct = 2;    // the metric's warn level: steps under it passed the gate unremarked
  double stable_pct = 1;  // |change| within it: →
};

enum class Arrow { improving, stable, declining };

struct Trend {
  int points = 0;                      // values present in the window
  std::optional<double> change_pct;    // none with fewer than two values or a first value of 0
  bool from_zero = false;              // the first value 0, the last above it: declining, no change_pct
  double largest_step_pct = 0;         // the largest rise from one point to the next
  Arrow arrow = Arrow::stable;
  bool drifting = false;
  bool each_step_under_warn = true;
};

Trend trend_of(const std::vector<std::optional<std::int64_t>>& values, const TrendRule& rule);

// The change as people read it: "+6.14 %" (with `decimals`), "from 0", or "" when there is none.
std::string change_text(const Trend& t, int decimals);

std::string_view arrow_symbol(Arrow arrow); // ↑ → ↓
std::string_view arrow_word(Arrow arrow);   // improving, stable, declining

} // namespace cibench

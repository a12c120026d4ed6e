#include "judge/gate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cibench {

std::string to_string(Status s) {
  switch (s) {
  case Status::pass: return "pass";
  case Status::improved: return "improved";
  case Status::new_benchmark: return "new";
  case Status::warn: return "warn";
  case Status::fail: return "fail";
  case Status::incomparable: return "incomparable";
  case Status::nondeterministic: return "nondeterministic";
  case Status::error: return "error";
  }
  return "?";
}

std::optional<Status> status_named(std::string_view word) {
  for (auto s : kAllStatuses)
    if (to_string(s) == word) return s;
  return std::nullopt;
}

std::optional<double> change_pct(std::int64_t baseline, std::int64_t current) {
  if (baseline == current) return 0.0;
  if (baseline == 0) return current > 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  return (static_cast<double>(current) - static_cast<double>(baseline)) / std::abs(static_cast<double>(baseline)) * 100.0;
}

Verdict judge(const Metrics& current, const Metrics* baseline, const Thresholds& t) {
  Verdict v;
  v.status = baseline ? Status::pass : Status::new_benchmark;
  for (auto& [name, value] : current) {
    MetricVerdict mv;
    mv.metric = name;
    mv.current = value;
    if (auto it = t.warn.find(name); it != t.warn.end()) mv.warn_limit = it->second;
    if (auto it = t.fail.find(name); it != t.fail.end()) mv.fail_limit = it->second;
    if (auto it = t.warn_bytes.find(name); it != t.warn_bytes.end()) mv.warn_bytes = it->second;
    if (auto it = t.fail_bytes.find(name); it != t.fail_bytes.end()) mv.fail_bytes = it->second;
    if (baseline) {
      if (auto it = baseline->find(name); it != baseline->end()) {
        mv.baseline = it->second;
        mv.change_pct = change_pct(it->second, value);
      }
    }
    if (mv.change_pct) {
      const double c = *mv.change_pct;
      const std::int64_t rise = value - *mv.baseline;
      const auto improve_limit = mv.warn_limit ? mv.warn_limit : mv.fail_limit;
      const auto improve_bytes = mv.warn_bytes ? mv.warn_bytes : mv.fail_bytes;
      if ((mv.fail_limit && c > *mv.fail_limit) || (mv.fail_bytes && rise > *mv.fail_bytes)) mv.status = Status::fail;
      else if ((mv.warn_limit && c > *mv.warn_limit) || (mv.warn_bytes && rise > *mv.warn_bytes)) mv.status = Status::warn;
      else if ((improve_limit && c < -*improve_limit) || (improve_bytes && rise < -*improve_bytes)) mv.status = Status::improved;
    }
    if (auto it = t.budget.find(name); it != t.budget.end()) {
      mv.budget = it->second;
      mv.over_budget = value > it->second;
      if (mv.over_budget) mv.status = Status::fail;
    }
    if (baseline || mv.over_budget) v.status = std::max(v.status, mv.status);
    v.metrics.push_back(mv);
  }
  return v;
}

} // namespace cibench

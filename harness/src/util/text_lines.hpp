#pragma once
// Line and token helpers shared by the Valgrind output parsers.
#include <string_view>
#include <vector>

namespace cibench {

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The words of a line (split at spaces and tabs) one at a time, with no vector per line: the
// Callgrind parser reads millions of lines this way.
class Words {
public:
  explicit Words(std::string_view s) : s_(s) {}
  // The next word; empty when there is none left.
  std::string_view next() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
    size_t j = i_;
    while (j < s_.size() && s_[j] != ' ' && s_[j] != '\t') ++j;
    auto word = s_.substr(i_, j - i_);
    i_ = j;
    return word;
  }
  // How many words are left (reading them).
  size_t count_rest() {
    size_t n = 0;
    while (!next().empty()) ++n;
    return n;
  }

private:
  std::string_view s_;
  size_t i_ = 0;
};

// The words of `s`, split at spaces and tabs.
inline std::vector<std::string_view> split_whitespace(std::string_view s) {
  std::vector<std::string_view> out;
  Words words(s);
  for (auto w = words.next(); !w.empty(); w = words.next()) out.push_back(w);
  return out;
}

} // namespace cibench

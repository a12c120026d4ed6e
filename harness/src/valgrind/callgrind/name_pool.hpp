#pragma once
// The names of a Callgrind profile (files, functions), each kept once and known by a small id.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cibench {

// Every file and function name once; a function is a (file id, name id) pair of this pool.
class NamePool {
public:
  std::uint32_t intern(std::string_view name) {
    if (auto it = ids_.find(name); it != ids_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(names_.size());
    ids_.emplace(names_.emplace_back(name), id); // a deque: the strings the keys view never move
    return id;
  }
  const std::string& operator[](std::uint32_t id) const { return names_[id]; }

private:
  std::deque<std::string> names_;
  std::unordered_map<std::string_view, std::uint32_t> ids_;
};

} // namespace cibench

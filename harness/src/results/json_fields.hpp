#pragma once
// Typed access to the fields of a results.json read back (results_reader.cpp): each accessor checks
// the field's type, and a failure names the file, the field's JSON path and the benchmark.
#include "util/error.hpp"
#include "util/json_counts.hpp"
#include "util/utf8.hpp"

#include <cstdint>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cibench {

inline std::string join(const std::string& path, const char* key) { return path.empty() ? key : path + "." + key; }

class JsonFields {
public:
  explicit JsonFields(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& why) const {
    const std::string which = benchmark_.empty() ? "" : fmt::format(" (benchmark '{}')", printable_line(benchmark_, 200));
    throw Error(ErrorKind::parse, fmt::format("{}: not a ci-bench results.json: {}: {}{}", source_, path, why, which));
  }

  const nlohmann::json* find(const nlohmann::json& object, const char* key) const {
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
  }
  const nlohmann::json& object(const nlohmann::json& object, const char* key, const std::string& path) const {
    const nlohmann::json* v = find(object, key);
    if (!v || !v->is_object()) fail(join(path, key), "must be an object");
    return *v;
  }
  std::string text(const nlohmann::json& object, const char* key, const std::string& path, bool required = false) const {
    const nlohmann::json* v = find(object, key);
    if (!v) {
      if (required) fail(join(path, key), "is missing");
      return {};
    }
    if (!v->is_string()) fail(join(path, key), "must be a string");
    return v->get<std::string>();
  }
  bool flag(const nlohmann::json& object, const char* key, const std::string& path) const {
    const nlohmann::json* v = find(object, key);
    if (v && !v->is_boolean()) fail(join(path, key), "must be true or false");
    return v && v->get<bool>();
  }
  double number(const nlohmann::json& object, const char* key, const std::string& path) const {
    const nlohmann::json* v = find(object, key);
    if (v && !v->is_number()) fail(join(path, key), "must be a number");
    return v ? v->get<double>() : 0;
  }
  double seconds(const nlohmann::json& object, const std::string& path) const {
    const double s = number(object, "seconds", path);
    if (s < 0) fail(join(path, "seconds"), "cannot be negative");
    return s;
  }
  std::int64_t count(const nlohmann::json& value, const std::string& path, const std::string& metric = {}) const {
    if (!is_count(value)) fail(path, "must be an integer count");
    const auto n = value.get<std::int64_t>();
    if (n < 0 && !may_be_negative(metric)) fail(path, fmt::format("is {}: it cannot be negative", n));
    return n;
  }
  std::optional<std::int64_t> optional_count(const nlohmann::json& object, const char* key, const std::string& path) const {
    const nlohmann::json* v = find(object, key);
    return v ? std::optional(count(*v, join(path, key))) : std::nullopt;
  }
  std::vector<std::string> texts(const nlohmann::json& object, const char* key, const std::string& path) const {
    std::vector<std::string> out;
    const nlohmann::json* v = find(object, key);
    if (!v) return out;
    if (!v->is_array()) fail(join(path, key), "must be a list of strings");
    for (auto& item : *v) {
      if (!item.is_string()) fail(join(path, key), "must be a list of strings");
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  // {"name": count}: metrics may be negative where metrics.hpp allows; other lists never.
  std::map<std::string, std::int64_t> counts(const nlohmann::json& object, const char* key, const std::string& path,
                                             bool are_metrics) const {
    std::map<std::string, std::int64_t> out;
    const nlohmann::json* v = find(object, key);
    if (!v) return out;
    if (!v->is_object()) fail(join(path, key), "must be an object of integer counts");
    for (auto& [name, value] : v->items())
      out[name] = count(value, fmt::format("{}.{}.{}", path, key, name), are_metrics ? name : std::string());
    return out;
  }

protected:
  std::string source_;
  mutable std::string benchmark_; // the one being read, named in errors
};

} // namespace cibench

#pragma once
// std::optional in nlohmann-json 3.11 (which lacks it): null when empty.
#include <nlohmann/json.hpp>
#include <optional>

namespace nlohmann {

template <class T> struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& v) {
    if (v) j = *v;
    else j = nullptr;
  }
  static void from_json(const json& j, std::optional<T>& v) {
    if (j.is_null()) v.reset();
    else v = j.get<T>();
  }
};

} // namespace nlohmann

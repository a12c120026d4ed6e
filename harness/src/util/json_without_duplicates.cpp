#include "util/json_without_duplicates.hpp"

#include <set>
#include <vector>

namespace cibench {
using nlohmann::json;

json parse_json_without_duplicates(std::istream& in, std::string& duplicate) {
  duplicate.clear();
  std::vector<std::set<std::string>> keys; // of each object being read, outermost first
  const json::parser_callback_t no_duplicate_keys = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) keys.emplace_back();
    else if (event == json::parse_event_t::object_end && !keys.empty()) keys.pop_back();
    else if (event == json::parse_event_t::key && !keys.empty() && !keys.back().insert(parsed.get<std::string>()).second &&
             duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  return json::parse(in, no_duplicate_keys);
}

} // namespace cibench

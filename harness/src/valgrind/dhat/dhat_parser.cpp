#include "valgrind/dhat/dhat_parser.hpp"

#include "util/error.hpp"
#include "util/json_counts.hpp"
#include "util/utf8.hpp"

#include <charconv>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>

namespace cibench {
using nlohmann::json;

DhatFrame parse_dhat_frame(const std::string& text) {
  DhatFrame f;
  std::string rest = text;
  if (auto colon = rest.find(": "); rest.starts_with("0x") && colon != std::string::npos) rest = rest.substr(colon + 2);
  const auto open = rest.rfind(" (");
  if (open == std::string::npos || rest.back() != ')') {
    f.function = valid_utf8(rest);
    return f;
  }
  f.function = valid_utf8(rest.substr(0, open));
  const std::string where = rest.substr(open + 2, rest.size() - open - 3);
  if (where.starts_with("in ")) return f; // an object without debug info
  const auto colon = where.rfind(':');
  int line = 0;
  if (colon != std::string::npos &&
      std::from_chars(where.data() + colon + 1, where.data() + where.size(), line).ec == std::errc()) {
    f.file = valid_utf8(where.substr(0, colon));
    f.line = line;
  } else {
    f.file = valid_utf8(where);
  }
  return f;
}

DhatProfile read_dhat(const std::filesystem::path& file) {
  const auto bad = [&](const std::string& why) {
    return Error(ErrorKind::parse, fmt::format("{}: not DHAT's JSON output: {}", file.string(), why));
  };
  std::ifstream in(file);
  if (!in) throw bad("cannot open it (did the program exit before DHAT wrote it?)");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    throw bad(e.what());
  }
  if (!j.is_object() || j.value("dhatFileVersion", json()) != 2)
    throw bad("expected \"dhatFileVersion\": 2 (Valgrind 3.15 or later)");
  if (j.value("mode", json()) != "heap") throw bad("expected \"mode\": \"heap\" (run without --mode)");
  if (!j.contains("pps") || !j["pps"].is_array() || !j.contains("ftbl") || !j["ftbl"].is_array())
    throw bad("no \"pps\" or \"ftbl\" array");
  DhatProfile p;
  if (j.contains("cmd") && j["cmd"].is_string()) p.cmd = valid_utf8(j["cmd"].get<std::string>());
  std::vector<DhatFrame> frames;
  for (auto& f : j["ftbl"]) {
    if (!f.is_string()) throw bad("a frame of \"ftbl\" is not a string");
    frames.push_back(parse_dhat_frame(f.get<std::string>()));
  }
  size_t index = 0;
  for (auto& pp : j["pps"]) {
    const auto count = [&](const char* key) {
      if (!pp.is_object() || !pp.contains(key) || !is_count(pp[key]) || pp[key].get<std::int64_t>() < 0)
        throw bad(fmt::format("pps[{}].{} is not a count", index, key));
      return pp[key].get<std::int64_t>();
    };
    DhatSite s{count("tb"), count("tbk"), count("gb"), count("gbk"), count("eb"), count("ebk"), {}};
    if (!pp.contains("fs") || !pp["fs"].is_array()) throw bad(fmt::format("pps[{}] has no stack \"fs\"", index));
    for (auto& f : pp["fs"]) {
      if (!f.is_number_unsigned() || f.get<std::uint64_t>() >= frames.size())
        throw bad(fmt::format("pps[{}].fs names a frame outside \"ftbl\"", index));
      const DhatFrame& frame = frames[f.get<size_t>()];
      if (frame.function != "[root]") s.stack.push_back(frame);
    }
    p.sites.push_back(std::move(s));
    ++index;
  }
  return p;
}

} // namespace cibench

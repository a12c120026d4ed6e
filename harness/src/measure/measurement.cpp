#include "measure/measurement.hpp"

#include "util/atomic_file.hpp"

#include <fmt/format.h>
#include <fstream>

namespace cibench {

void to_json(nlohmann::json& j, ErrorKind kind) { j = std::string(to_string(kind)); }

void from_json(const nlohmann::json& j, ErrorKind& kind) {
  const auto word = j.get<std::string>();
  for (auto k : kAllErrorKinds)
    if (to_string(k) == word) {
      kind = k;
      return;
    }
  throw Error(ErrorKind::parse, fmt::format("'{}' is not an error kind", word));
}

void write_measurement_set(const MeasurementSet& set, const std::filesystem::path& file) {
  write_file_atomically(file, nlohmann::json(set).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

MeasurementSet read_measurement_set(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(ErrorKind::io, fmt::format("{}: cannot open", file.string()));
  MeasurementSet set;
  try {
    set = nlohmann::json::parse(in).get<MeasurementSet>();
  } catch (const std::exception& e) { // json's own errors, and an unknown error kind
    throw Error(ErrorKind::parse, fmt::format("{}: not a ci-bench measurement set: {}", file.string(), e.what()));
  }
  if (set.schema != 1) throw Error(ErrorKind::parse, fmt::format("{}: unknown measurement schema {}", file.string(), set.schema));
  return set;
}

} // namespace cibench

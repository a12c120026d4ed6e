#include "measure/measurement.hpp"

#include "util/atomic_file.hpp"

#include <fmt/format.h>
#include <fstream>

namespace cibench {

void write_measurement_set(const MeasurementSet& set, const std::filesystem::path& file) {
  write_file_atomically(file, nlohmann::json(set).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

MeasurementSet read_measurement_set(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(ErrorKind::io, fmt::format("{}: cannot open", file.string()));
  try {
    auto set = nlohmann::json::parse(in).get<MeasurementSet>();
    if (set.schema != 1) throw Error(ErrorKind::parse, fmt::format("{}: unknown measurement schema {}", file.string(), set.schema));
    return set;
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::parse, fmt::format("{}: not a ci-bench measurement set: {}", file.string(), e.what()));
  }
}

} // namespace cibench

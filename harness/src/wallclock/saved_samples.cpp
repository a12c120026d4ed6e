#include "wallclock/saved_samples.hpp"

#include "util/atomic_file.hpp"
#include "util/error.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>

namespace cibench {
using nlohmann::json;

namespace {

constexpr int kSchema = 1;

// The file's layout: {"schema": 1, "name": NAME, "benchmarks": {BENCHMARK: entry}}. Entries stay
// raw JSON until each is read on its own, so that one bad entry spoils only itself.
struct Entry {
  std::vector<double> ns_per_iteration;
  long long iterations = 1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Entry, ns_per_iteration, iterations)

struct File {
  int schema = kSchema;
  std::string name;
  std::map<std::string, json> benchmarks;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(File, schema, name, benchmarks)

} // namespace

std::string saved_samples_problem(const std::vector<double>& ns, long long iterations) {
  // Past 1e15 ns (11.6 days) a value is no sample of ours, and values near the top of double's
  // range would overflow the sums that every statistic starts from.
  constexpr double kLongest = 1e15;
  if (ns.size() < kMinSamples)
    return fmt::format("{} sample(s); a comparison needs at least {}", ns.size(), kMinSamples);
  for (size_t i = 0; i < ns.size(); ++i)
    if (!std::isfinite(ns[i]) || ns[i] < 0 || ns[i] > kLongest)
      return fmt::format("sample {} is {}, not a time in ns", i + 1, ns[i]);
  if (iterations < 1) return fmt::format("{} iterations a sample, fewer than one", iterations);
  return {};
}

std::map<std::string, std::string> save_samples(const std::filesystem::path& file, const std::string& name,
                                                const std::vector<TimedBenchmark>& timed) {
  File out{kSchema, name, {}};
  std::map<std::string, std::string> left_out;
  for (auto& t : timed) {
    if (!t.error.empty()) continue; // reported as an error already
    const std::string problem = saved_samples_problem(t.ns_per_iteration, t.iterations);
    if (!problem.empty()) left_out[t.name] = problem;
    else {
      json entry = Entry{t.ns_per_iteration, t.iterations};
      if (t.instructions.value) entry["instructions"] = *t.instructions.value; // read beside a later run's count
      out.benchmarks[t.name] = entry;
    }
  }
  std::filesystem::create_directories(file.parent_path());
  write_file_atomically(file, json(out).dump(1, ' ', false, json::error_handler_t::replace) + "\n");
  return left_out;
}

SavedSamples load_samples(const std::filesystem::path& file, const std::string& name) {
  std::ifstream in(file);
  if (!in)
    throw Error(ErrorKind::config, fmt::format("no saved samples '{}' ({}): save some first with `ci-bench time --save {}`", name,
                            file.string(), name));
  SavedSamples saved{name, file, {}, {}};
  File f;
  try {
    const json j = json::parse(in);
    // The schema first: another schema may lay the rest out differently.
    if (!j.is_object() || !j.contains("schema") || j["schema"] != kSchema)
      throw Error(ErrorKind::parse, fmt::format("not schema {} (written by another ci-bench version?)", kSchema));
    f = j.get<File>();
  } catch (const std::exception& e) { // json's parse and type errors, and the schema above
    throw Error(ErrorKind::parse, fmt::format("{}: corrupt saved samples: {}", file.string(), e.what()));
  }
  for (auto& [benchmark, raw] : f.benchmarks) {
    std::string problem;
    Entry e;
    try {
      // A float where an integer belongs would convert with undefined behaviour past the range.
      if (raw.is_object() && raw.contains("iterations") && !raw["iterations"].is_number_integer())
        throw json::type_error::create(302, "\"iterations\" is not an integer", &raw);
      e = raw.get<Entry>();
      problem = saved_samples_problem(e.ns_per_iteration, e.iterations);
    } catch (const json::exception& x) {
      problem = fmt::format("not a saved entry: {}", x.what());
    }
    if (!problem.empty()) {
      saved.skipped[benchmark] = fmt::format("its entry in {}: {}", file.string(), problem);
      continue;
    }
    TimedBenchmark& t = saved.benchmarks[benchmark] = TimedBenchmark{benchmark, std::move(e.ns_per_iteration), e.iterations, {}, {}, {}};
    if (raw.contains("instructions") && raw["instructions"].is_number_integer())
      t.instructions.value = raw["instructions"].get<std::int64_t>();
  }
  return saved;
}

} // namespace cibench

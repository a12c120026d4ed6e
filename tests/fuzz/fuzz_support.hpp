#pragma once
// What every fuzz target shares: a scratch folder, the input written to a file, and the rule.
//
// The rule: outside input may end in cibench::Error, whose message names the file, and in nothing
// else. Any other exception escapes LLVMFuzzerTestOneInput uncaught, so std::terminate aborts at
// the throw (the report shows where it was thrown); ASan, UBSan, assertions, -timeout and
// -rss_limit_mb do the rest.
#include "util/error.hpp"
#include "metrics/metrics.hpp"
#include "valgrind/profile.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace fuzz {
namespace fs = std::filesystem;

// One folder per fuzzing process, under $TMPDIR (run.sh points it into build-fuzz/), removed at exit.
inline const fs::path& scratch() {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "cibench-fuzz-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
      std::perror("mkdtemp");
      std::abort();
    }
    return fs::path(pattern);
  }();
  static const bool cleanup = (std::atexit([] {
                                 std::error_code ec;
                                 fs::remove_all(dir, ec);
                               }),
                               true);
  (void)cleanup;
  return dir;
}

inline void write_file(const fs::path& file, std::string_view bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::perror(file.c_str());
    std::abort();
  }
}

inline std::string_view as_text(const std::uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Two inputs from one: the text before and after the first line "=====". Without that line,
// both are the whole input.
inline std::pair<std::string_view, std::string_view> split_two(std::string_view text) {
  constexpr std::string_view separator = "\n=====\n";
  auto at = text.find(separator);
  if (at == std::string_view::npos) return {text, text};
  return {text.substr(0, at + 1), text.substr(at + separator.size())};
}

// Runs `parse`; a cibench::Error is the expected way to refuse input, provided its message names
// `source` (the file, as the user knows it). Every other exception is left to escape.
template <class F> void only_errors(F&& parse, std::string_view source) {
  try {
    parse();
  } catch (const cibench::Error& e) {
    if (!source.empty() && std::string_view(e.what()).find(source) == std::string_view::npos) {
      std::fprintf(stderr, "cibench::Error that does not name '%.*s': %s\n", static_cast<int>(source.size()),
                   source.data(), e.what());
      std::abort();
    }
  }
}

// A Valgrind profile parsed from `data` through `parse` (an istream overload), then what the driver
// and `ci-bench diff` compute from a profile they accept: totals, per-function instructions,
// derived metrics. Empty when the input was refused (with an Error).
template <class Parse>
std::optional<cibench::Profile> parse_profile(Parse&& parse, const std::uint8_t* data, size_t size, const char* source) {
  std::istringstream in{std::string(as_text(data, size))};
  std::optional<cibench::Profile> profile;
  only_errors([&] { profile = parse(in, source); }, source);
  if (!profile) return profile;
  only_errors([&] {
    const cibench::Metrics totals = profile->totals_by_event();
    cibench::function_instructions(*profile, "/work/project");
    cibench::with_derived(totals);
  }, "");
  return profile;
}

} // namespace fuzz

#include "measure/artifact_size.hpp"

#include "elf/elf_file.hpp"

#include <chrono>
#include <fmt/format.h>

namespace cibench {
namespace fs = std::filesystem;

namespace {

// Why a file of this type cannot be measured; empty for a regular file.
std::string why_not_measured(fs::file_type type) {
  switch (type) {
  case fs::file_type::regular: return "";
  case fs::file_type::not_found: return "is missing: build it first";
  case fs::file_type::directory: return "is a directory, not a file: name the built file in it";
  // Opening one would wait for a writer (a FIFO) or read without end (a device).
  case fs::file_type::fifo: return "is a FIFO (named pipe), not a regular file: ci-bench measures built files only";
  case fs::file_type::socket: return "is a socket, not a regular file: ci-bench measures built files only";
  case fs::file_type::block:
  case fs::file_type::character: return "is a device, not a regular file: ci-bench measures built files only";
  default: return "is not a regular file: ci-bench measures built files only";
  }
}

} // namespace

void check_artifact_file(const BenchmarkPlan& a) {
  std::error_code ec;
  const fs::file_status status = fs::status(a.program, ec); // follows links: what open() would reach
  std::string why = why_not_measured(status.type());
  if (ec && status.type() != fs::file_type::not_found) // a symbolic link loop, a folder it may not enter
    why = fmt::format("cannot be read: {}", ec.message());
  if (!why.empty()) throw Error(ErrorKind::setup, fmt::format("artifact file {} {} ({})", a.program.string(), why, a.source));
}

void measure_artifact(const BenchmarkPlan& a, Measurement& m) {
  const auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  const auto file_bytes = fs::file_size(a.program, ec);
  if (ec)
    throw Error(ErrorKind::setup, fmt::format("artifact file {}: cannot read its size: {} ({})", a.program.string(),
                                              ec.message(), a.source));
  m.events = {{"file_bytes", static_cast<std::int64_t>(file_bytes)}};
  const std::optional<ElfSizes> sizes = read_elf_sizes(a.program);
  if (!sizes) { // a data file, a script, a Mach-O: its size is all there is to read
    for (auto& [metric, limit] : a.settings.thresholds.budget)
      if (metric != "file_bytes")
        throw Error(ErrorKind::setup, fmt::format("artifact file {} is neither an ELF file nor a static archive, so only file_bytes "
                                                  "is measured, and its budget names {}: remove that budget, or point `path` at "
                                                  "the built ELF file or archive ({})",
                                                  a.program.string(), metric, a.source));
  } else {
    m.events.insert({{"text_bytes", sizes->text}, {"rodata_bytes", sizes->rodata}, {"data_bytes", sizes->data}, {"bss_bytes", sizes->bss}});
    m.symbols = {sizes->symbols.begin(), sizes->symbols.end()};
  }
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace cibench

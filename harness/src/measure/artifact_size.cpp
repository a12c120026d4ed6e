#include "measure/artifact_size.hpp"

#include "util/elf_file.hpp"

#include <chrono>
#include <fmt/format.h>

namespace cibench {
namespace fs = std::filesystem;

void measure_artifact(const BenchmarkPlan& a, Measurement& m) {
  const auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  const auto file_bytes = fs::file_size(a.program, ec);
  if (ec)
    throw Error(ErrorKind::setup, fmt::format("artifact file {} is missing ({}): build it first ({})", a.program.string(),
                                              ec.message(), a.source));
  const ElfSizes sizes = read_elf_sizes(a.program);
  m.events = {{"file_bytes", static_cast<std::int64_t>(file_bytes)}, {"text_bytes", sizes.text},
              {"rodata_bytes", sizes.rodata}, {"data_bytes", sizes.data}, {"bss_bytes", sizes.bss}};
  m.symbols = {sizes.symbols.begin(), sizes.symbols.end()};
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace cibench

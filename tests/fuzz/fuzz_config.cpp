// ci-bench.toml: load_config reads a path, so the input is written to a file first.
#include "config/config.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const auto file = fuzz::scratch() / "ci-bench.toml";
  fuzz::write_file(file, fuzz::as_text(data, size));
  fuzz::only_errors([&] { cibench::load_config(file); }, file.string());
  return 0;
}

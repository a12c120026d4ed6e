// results.json, read by `ci-bench diff OLD.json NEW.json` (there is no other C++ reader): the
// input is split at a line "=====" into OLD and NEW (both the whole input without one), written
// to two files and diffed, the output thrown away.
#include "app/diff_command.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  static std::FILE* devnull = std::fopen("/dev/null", "w");
  const auto old_file = fuzz::scratch() / "old-results.json", new_file = fuzz::scratch() / "new-results.json";
  auto [old_text, new_text] = fuzz::split_two(fuzz::as_text(data, size));
  fuzz::write_file(old_file, old_text);
  fuzz::write_file(new_file, new_text);
  fuzz::only_errors([&] { cibench::diff_files(old_file, new_file, devnull); }, "-results.json");
  return 0;
}

// Saved wall-clock samples (OUT/time/NAME.json), read by `ci-bench time --baseline NAME`. The reader
// is private to app/time_command.cpp, so the target goes through time_benchmarks: the input is
// written as the samples saved under "fuzz", beside a config with one benchmark, and a --filter
// that matches nothing makes the run stop with an Error right after the samples are read.
//
// CIBENCH_FUZZ_SAMPLES_RUN=1 goes further, for samples that are read: the filter matches the
// benchmark (a plain /bin/true, two samples), so the saved samples reach the statistics and the
// report (printed to /dev/null). Each input that is read then starts three processes (measured
// here: 261 inputs/s overall against 251 without, as most inputs are refused before).
#include "app/time_command.hpp"
#include "fuzz_support.hpp"
#include "util/file_names.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

namespace {

cibench::TimeOptions options() {
  const bool run = [] {
    const char* v = std::getenv("CIBENCH_FUZZ_SAMPLES_RUN");
    return v && std::string_view(v) == "1";
  }();
  if (run) { // the report goes to stdout
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::close(null);
  }
  cibench::TimeOptions o;
  o.config = fuzz::scratch() / "ci-bench.toml";
  fuzz::write_file(o.config, "[[benchmark]]\nname = \"checksum.1M\"\ncommand = [\"/bin/true\"]\ntimeout = 10\n");
  o.out = fuzz::scratch() / "out";
  std::filesystem::create_directories(o.out / "time");
  o.baseline = "fuzz";
  o.filter = run ? "^checksum\\.1M$" : "^$";
  o.sampling.warmup = std::chrono::milliseconds(0);
  o.sampling.sample_target = std::chrono::milliseconds(1);
  o.sampling.budget = std::chrono::milliseconds(1);
  o.sampling.min_samples = o.sampling.max_samples = 2;
  return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  static const cibench::TimeOptions o = options();
  fuzz::write_file(o.out / "time" / (cibench::file_stem(o.baseline) + ".json"), fuzz::as_text(data, size));
  fuzz::only_errors([&] { cibench::time_benchmarks(o); }, fuzz::scratch().string());
  return 0;
}

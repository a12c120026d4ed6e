// Hashes its arguments; with -DCIBENCH_INSTRUMENTATION=ON it also prints how long that took.
#include <cibench/measure_time.hpp>
#include <rollhash.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    CIBENCH_MEASURE_TIME("rollhash_tool.arg");
    const auto* text = reinterpret_cast<const unsigned char*>(argv[i]);
    std::printf("%016" PRIx64 "\n", rollhash(text, std::strlen(argv[i])));
  }
#ifdef CIBENCH_INSTRUMENTATION
  cibench::timing::write_json_lines(stderr);
#endif
}

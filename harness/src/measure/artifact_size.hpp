#pragma once
// [[artifact]]: the size of a built file, measured without running it (metrics_of(MetricSource::elf)).
#include "measure/measure.hpp"

namespace cibench {

// Throws Error(setup), naming the file and where the config declared it, unless the artifact's
// path leads to a regular file: missing, a directory, a symbolic link loop, or a special file (a
// FIFO, socket or device, which would block or never end a read). Call it before anything opens
// the file.
void check_artifact_file(const BenchmarkPlan& artifact);

// Fills m.events with the ELF size metrics and m.symbols with the file's symbol sizes, of a file
// check_artifact_file() accepted. Throws Error(parse) when it is not ELF.
void measure_artifact(const BenchmarkPlan& artifact, Measurement& m);

} // namespace cibench

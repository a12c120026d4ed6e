#pragma once
// The one exception type of ci-bench. Its message is complete and printed as it is
// ("ci-bench: error: <what>"), so it names the file, line or benchmark at fault; its kind says what
// sort of fault it is, so that statuses, retries and reports never guess from the text.
#include <stdexcept>
#include <string>
#include <string_view>

namespace cibench {

enum class ErrorKind {
  config,      // the config or the command line is wrong
  setup,       // a benchmark cannot be prepared: its suite cannot list it, its program is missing
  launch,      // a process could not be started
  timeout,     // a workload ran past its timeout
  crash,       // a workload died of a signal
  exit_status, // a workload exited non-zero
  parse,       // an output file is not what the tool writes
  baseline,    // a baseline file is unreadable or malformed
  io,          // reading or writing ci-bench's own files failed
  interrupted, // the run was stopped by a signal
  internal,    // a bug: an invariant of ci-bench itself does not hold
};

inline constexpr ErrorKind kAllErrorKinds[] = {
    ErrorKind::config, ErrorKind::setup,    ErrorKind::launch,      ErrorKind::timeout, ErrorKind::crash,   ErrorKind::exit_status,
    ErrorKind::parse,  ErrorKind::baseline, ErrorKind::interrupted, ErrorKind::io,      ErrorKind::internal};

std::string_view to_string(ErrorKind kind); // the word results.json's error_kind uses

struct Error : std::runtime_error {
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind(kind) {}
  ErrorKind kind;
};

// A fault recorded as a value (in a measurement or a result) rather than thrown.
struct Failure {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
};

inline Failure to_failure(const Error& e) { return {e.kind, e.what()}; }

} // namespace cibench

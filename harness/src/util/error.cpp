#include "util/error.hpp"

namespace cibench {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::config: return "config";
  case ErrorKind::setup: return "setup";
  case ErrorKind::launch: return "launch";
  case ErrorKind::timeout: return "timeout";
  case ErrorKind::crash: return "crash";
  case ErrorKind::exit_status: return "exit_status";
  case ErrorKind::parse: return "parse";
  case ErrorKind::baseline: return "baseline";
  case ErrorKind::io: return "io";
  case ErrorKind::interrupted: return "interrupted";
  case ErrorKind::internal: return "internal";
  }
  return "internal";
}

} // namespace cibench

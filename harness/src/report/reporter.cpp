#include "report/reporter.hpp"

#include "report/terminal_report.hpp"
#include "results/results_json.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <unistd.h>

namespace cibench {
namespace {

class TerminalReporter : public Reporter {
public:
  explicit TerminalReporter(std::FILE* out) : out_(out) {
    const char* no_colour = std::getenv("NO_COLOR");
    colour_ = ::isatty(::fileno(out)) && !(no_colour && *no_colour);
  }
  void report(const RunResult& run) override {
    print_summary(run, out_, colour_);
    std::fflush(out_);
  }

private:
  std::FILE* out_;
  bool colour_ = false;
};

class ResultsJsonReporter : public Reporter {
public:
  ResultsJsonReporter(std::filesystem::path file, std::string note) : file_(std::move(file)), note_(std::move(note)) {}
  void report(const RunResult& run) override {
    write_results_json(run, file_);
    fmt::print("results: {}{}\n", file_.string(), note_.empty() ? "" : " " + note_);
  }

private:
  std::filesystem::path file_;
  std::string note_;
};

} // namespace

std::unique_ptr<Reporter> terminal_reporter(std::FILE* out) { return std::make_unique<TerminalReporter>(out); }

std::unique_ptr<Reporter> results_json_reporter(std::filesystem::path file, std::string note) {
  return std::make_unique<ResultsJsonReporter>(std::move(file), std::move(note));
}

std::vector<std::unique_ptr<Reporter>> standard_reporters(const std::filesystem::path& results_file, const std::string& note) {
  std::vector<std::unique_ptr<Reporter>> reporters;
  reporters.push_back(terminal_reporter(stdout));
  reporters.push_back(results_json_reporter(results_file, note));
  return reporters;
}

void publish(const RunResult& run, const std::vector<std::unique_ptr<Reporter>>& reporters) {
  for (auto& reporter : reporters) reporter->report(run);
}

} // namespace cibench

#include "app/cli.hpp"

#include "util/error.hpp"
#include "exec/process.hpp"
#include "app/run_command.hpp"
#include "app/time_command.hpp"
#include "valgrind/callgrind/callgrind_parser.hpp"
#include "valgrind/tool.hpp"
#include "app/diff_command.hpp"
#include "app/folded_command.hpp"
#include "app/history_command.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace cibench {

int cli_main(int argc, char** argv) {
  CLI::App app{"ci-bench: a deterministic performance gate. Runs workloads under Valgrind, counts\n"
               "instructions and cache hits, and compares them with the baselines in the repository.",
               "ci-bench"};
  app.set_version_flag("--version", "ci-bench 0.1.0");
  app.require_subcommand(1);
  app.footer("Exit status: 0 no regression (warnings allowed), 1 a regression past its fail threshold or a\n"
             "baseline from another toolchain (see --allow-incomparable),\n"
             "2 an error (bad config, Valgrind missing, a workload crashed, timed out or exited non-zero),\n"
             "130 / 143 interrupted by SIGINT / SIGTERM (results.json still written, with \"interrupted\": true).\n"
             "Run `ci-bench run --help` for the gate's options.");

  RunOptions run;
  const auto known_tools = valgrind_tool_names();
  const std::vector<std::string> tool_names(known_tools.begin(), known_tools.end());
  auto* cmd = app.add_subcommand("run", "Measure every benchmark of the config and gate on its baseline");
  cmd->add_option("--config", run.config, "The config file; relative paths in it are relative to it")
      ->default_str("ci-bench.toml");
  cmd->add_option("-j,--jobs", run.jobs, "Benchmarks measured at once (default: one per core)")
      ->check(CLI::Range(1u, kMaxConcurrentProcesses));
  cmd->add_option("--filter", run.filter, "Only benchmarks whose name matches this regular expression (searched, "
                                          "not anchored)");
  cmd->add_option("--out", run.out, "Folder for results.json and every raw Valgrind file (open them with cg_annotate)")
      ->default_str("build/ci-bench");
  cmd->add_option("--tool", run.tool, "Measure every benchmark with this Valgrind tool, whatever the config says: "
                                     "cachegrind (default; regions by calibration) or callgrind (exact regions, "
                                     "inclusive costs, about twice the time)")
      ->check(CLI::IsMember(tool_names));
  cmd->add_flag("--allow-incomparable", run.allow_incomparable,
                "Baselines measured by another toolchain (compiler, Valgrind, C library...) are reported, not "
                "fatal: for local work on a machine that is not CI's (same as incomparable = \"warn\")");
  cmd->add_option("--history", run.history, "Also record the run in this SQLite history file (default: the config's "
                                            "history); see `ci-bench history --help`");
  cmd->add_flag("--update-baselines", run.update_baselines,
                "Measure and write the baselines (atomically) instead of gating; commit them afterwards");
  cmd->footer("Example: ci-bench run --filter '^sort' --jobs 2\n"
              "Exit status: 0 pass, 1 regression or incomparable baseline, 2 error (errors win), 130 / 143 interrupted.");

  TimeOptions time_options;
  auto* time = app.add_subcommand("time", "Time the same workloads natively (no Valgrind) with statistics, for local "
                                          "work: seconds belong to one machine and never gate CI");
  time->add_option("--config", time_options.config, "The config file")->default_str("ci-bench.toml");
  time->add_option("--filter", time_options.filter, "Only benchmarks whose name matches this regular expression");
  time->add_option("--out", time_options.out, "Folder whose time/ subfolder keeps saved samples")->default_str("build/ci-bench");
  time->add_option("--save", time_options.save, "Save this run's samples under NAME (e.g. main)");
  time->add_option("--baseline", time_options.baseline, "Compare with the samples saved under NAME: Welch's t-test, "
                                                  "Mann-Whitney U, effect size, speedup with its interval");
  time->add_option("--threshold", time_options.threshold_pct, "Practical threshold in percent: a regression needs p < 0.05 "
                                                        "and a slowdown past it")->default_val(10)->check(CLI::Range(0.0, 1000.0));
  time->add_option("--json", time_options.json, "Also write Google Benchmark JSON (compare.py, github-action-benchmark)");
  time->add_option("--markdown", time_options.markdown, "Also write a Markdown validation report");
  long budget_ms = 3000, warmup_ms = 200;
  time->add_option("--budget-ms", budget_ms, "Time for one benchmark's samples (10 to 100 samples)")->default_val(3000)->check(CLI::Range(1L, 3'600'000L));
  time->add_option("--warmup-ms", warmup_ms, "Body time spent before sampling")->default_val(200)->check(CLI::Range(0L, 600'000L));
  time->footer("Example: ci-bench time --save main; (change the code, rebuild); ci-bench time --baseline main\n"
               "Exit status: 0, 1 a significant regression past the threshold, 2 an error.");

  std::string diff_old, diff_new;
  auto* diff = app.add_subcommand("diff", "Compare two Valgrind output files, or two results.json, event by event and "
                                          "function by function");
  diff->add_option("OLD", diff_old, "cachegrind.out / callgrind.out / results.json before")->required();
  diff->add_option("NEW", diff_new, "the same kind of file after")->required();
  diff->footer("Example: ci-bench diff base/results.json build/ci-bench/results.json");

  std::string folded_input;
  auto* folded = app.add_subcommand("folded", "Print a Callgrind profile as folded stacks, for flamegraph.pl or inferno");
  folded->add_option("FILE", folded_input, "a callgrind.out file (benchmarks with tool = \"callgrind\")")->required();
  folded->footer("Example: ci-bench folded build/ci-bench/NAME.callgrind.out | flamegraph.pl > NAME.svg");

  HistoryOptions history_options;
  auto* history = add_history_command(app, history_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }
  install_interrupt_handler();
  become_subreaper();
  const int status = [&] {
    try {
      if (time->parsed()) {
        time_options.sampling.budget = std::chrono::milliseconds(budget_ms);
        time_options.sampling.warmup = std::chrono::milliseconds(warmup_ms);
        return time_benchmarks(time_options);
      }
      if (diff->parsed()) {
        diff_files(diff_old, diff_new, stdout);
        return 0;
      }
      if (history->parsed()) return run_history_command(*history, history_options);
      if (folded->parsed()) {
        print_folded_stacks(folded_input, stdout);
        return 0;
      }
      return run_benchmarks(run);
    } catch (const Error& e) {
      fmt::print(stderr, "ci-bench: error: {}\n", e.what());
      return 2;
    } catch (const std::exception& e) {
      fmt::print(stderr, "ci-bench: internal error: {}\n", e.what());
      return 2;
    }
  }();
  // Interrupted: whatever the subcommand made of it, the conventional 128 + signal (130, 143).
  if (int sig = interrupt_signal()) return 128 + sig;
  return status;
}

} // namespace cibench

#include "app/cli.hpp"

#include "util/error.hpp"
#include "exec/process.hpp"
#include "app/run_command.hpp"
#include "app/time_command.hpp"
#include "wallclock/block_comparison.hpp"
#include "valgrind/callgrind/callgrind_parser.hpp"
#include "valgrind/tool.hpp"
#include "app/diff_command.hpp"
#include "app/folded_command.hpp"
#include "app/init_command.hpp"
#include "app/history_command.hpp"
#include "app/merge_command.hpp"
#include "util/utf8.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace cibench {

int cli_main(int argc, char** argv) {
  CLI::App app{"ci-bench: a deterministic performance gate. Runs workloads under Valgrind, counts\n"
               "instructions and cache hits, and compares them with the baselines in the repository.",
               "ci-bench"};
  app.set_version_flag("--version", "ci-bench " CIBENCH_VERSION);
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
                                     "cachegrind (the default for whole programs; a suite's regions by "
                                     "calibration, two runs each) or callgrind (the default for a suite's "
                                     "regions: exact, one run each)")
      ->check(CLI::IsMember(tool_names));
  cmd->add_flag("--allow-incomparable", run.allow_incomparable,
                "Baselines measured by another toolchain (compiler, Valgrind, C library...) are reported, not "
                "fatal: for local work on a machine that is not CI's (same as incomparable = \"warn\")");
  cmd->add_option("--history", run.history, "Also record the run in this SQLite history file (default: the config's "
                                            "history); see `ci-bench history --help`");
  cmd->add_flag("--update-baselines", run.update_baselines,
                "Measure and write the baselines (atomically) instead of gating; commit them afterwards");
  // Set even when empty: `--shard ""` (an unset CI variable) is an error, never the whole run.
  cmd->add_option_function<std::string>("--shard", [&](const std::string& k_of_n) { run.shard = k_of_n; },
                                        "Measure only part K of N (like 2/3), for one job of a CI matrix; every "
                                        "benchmark is in exactly one part, parts are balanced by the seconds each "
                                        "baseline recorded. Put the parts together with `ci-bench merge`");
  cmd->add_flag("--verify", run.verify, "Measure every benchmark twice; one whose events differ between the two runs "
                                        "is nondeterministic (exit 2). Reuses nothing");
  cmd->add_flag("--no-reuse", run.no_reuse, "Measure every benchmark, even one whose content fingerprint (its code, "
                                            "libraries, arguments, environment, inputs, Valgrind) equals its "
                                            "baseline's, whose counts are otherwise reused");
  cmd->footer("Example: ci-bench run --filter '^sort' --jobs 2\n"
              "         ci-bench run --shard 2/3 --out shard-2   (then: ci-bench merge shard-1 shard-2 shard-3)\n"
              "Exit status: 0 pass, 1 regression or incomparable baseline, 2 error or nondeterministic (errors win),\n"
              "130 / 143 interrupted.");

  MergeOptions merge_options;
  auto* merge = app.add_subcommand("merge", "Put the results of `run --shard K/N` back together: one results.json, "
                                            "one summary, one exit status, as one unsharded run would give");
  merge->add_option("PATH", merge_options.inputs, "Each shard's results folder (its --out) or results.json")->required();
  merge->add_option("--out", merge_options.out, "Folder for the merged results.json and the shards' raw files")
      ->default_str("build/ci-bench");
  merge->footer("Example: ci-bench merge shard-1 shard-2 shard-3 --out build/ci-bench\n"
                "Refuses shards of different commits, configs or toolchains, and names a missing or doubled shard.\n"
                "Exit status: as `run`: 0 pass, 1 regression, 2 error (and when the shards do not fit together).");

  TimeOptions time_options;
  auto* time = app.add_subcommand("time", "Time the same workloads natively (no Valgrind) with statistics, for local "
                                          "work: seconds belong to one machine and never gate CI");
  time->add_option("--config", time_options.config, "The config file")->default_str("ci-bench.toml");
  time->add_option("--filter", time_options.filter, "Only benchmarks whose name matches this regular expression");
  time->add_option("--out", time_options.out, "Folder whose time/ subfolder keeps saved samples")->default_str("build/ci-bench");
  time->add_option("--save", time_options.save, "Save this run's samples under NAME (e.g. main)");
  time->add_option("--baseline", time_options.baseline, "Compare with the samples saved under NAME: Welch's t-test, "
                                                  "Mann-Whitney U, effect size, speedup with its interval. The saved "
                                                  "samples carry the machine's state of their moment: prefer --compare");
  auto* compare = time->add_option("--compare", time_options.compare,
                                   "Time this config's benchmarks against the same names in OTHER_CONFIG (e.g. the base "
                                   "branch's build), interleaved in one session: blocks of both sides in a random order, "
                                   "statistics over blocks, and the noise floor of identical builds measured alongside. "
                                   "The recommended way to compare two builds")
                      ->type_name("OTHER_CONFIG");
  compare->excludes(time->get_option("--baseline"))->excludes(time->get_option("--save"));
  std::optional<double> threshold_pct;
  time->add_option("--threshold", threshold_pct, "Practical threshold in percent: a regression needs p < 0.05 and a "
                                                 "slowdown past it (and, with --compare, past the noise floor). Default "
                                                 "10 with --baseline, 3 with --compare")
      ->check(CLI::Range(0.0, 1000.0));
  time->add_option("--blocks", time_options.blocks, "--compare: blocks a benchmark (each: one timing of each side)")
      ->default_val(30)->check(CLI::Range(static_cast<int>(kMinBlocks), 200));
  time->add_option("--seed", time_options.seed, "--compare: the seed of the blocks' order (printed by every run; default random)");
  bool no_count = false;
  time->add_flag("--no-count", no_count, "Do not count each benchmark's instructions under Valgrind (a second or so each, "
                                         "on every core, before any timing)");
  time->add_option("--json", time_options.json, "Also write Google Benchmark JSON (compare.py, github-action-benchmark); "
                                                "instruction counts as the counter \"instructions\"");
  time->add_option("--markdown", time_options.markdown, "Also write a Markdown validation report");
  long budget_ms = 3000;
  std::optional<long> warmup_ms;
  time->add_option("--budget-ms", budget_ms, "Time for one benchmark's samples (10 to 100 samples; with --compare, a "
                                             "side's samples, spread over the blocks)")->default_val(3000)->check(CLI::Range(1L, 3'600'000L));
  time->add_option("--warmup-ms", warmup_ms, "Body time spent before sampling (default 200; with --compare, before each "
                                             "side's samples in every block, default 50)")->check(CLI::Range(0L, 600'000L));
  time->footer("Examples:\n"
               "  ci-bench time --compare ../main/ci-bench.toml   this build against main's, interleaved (recommended)\n"
               "  ci-bench time --save main; (change, rebuild); ci-bench time --baseline main\n"
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

  RunOptions explain_options;
  std::string explain_name;
  auto* explain = app.add_subcommand("explain", "Measure one benchmark again (never reused) and say where its "
                                                "instructions go: the gate's summary against its baseline, then its "
                                                "biggest functions and source lines (inlined code at its own line, "
                                                "with the source of the hottest), its flame graph and raw profile");
  explain->add_option("NAME", explain_name, "The benchmark's exact name (as results.json and the PR comment spell it)")->required();
  explain->add_option("--config", explain_options.config, "The config file")->default_str("ci-bench.toml");
  explain_options.out = "build/ci-bench-explain"; // not the gate's folder: its results.json stays whole
  explain->add_option("--out", explain_options.out, "Folder for results.json, the flame graph and the raw files")
      ->default_str("build/ci-bench-explain");
  explain->add_option("--tool", explain_options.tool, "Measure with this Valgrind tool instead of the config's "
                                                      "(callgrind: a flame graph with calls; against a baseline of "
                                                      "another tool, nothing is compared)")
      ->check(CLI::IsMember(tool_names));
  explain->add_flag("--allow-incomparable", explain_options.allow_incomparable,
                    "Compare with a baseline of another toolchain anyway (a laptop that is not CI)");
  explain->footer("Example: ci-bench explain sorting.std_sort.10k\n"
                  "Exit status: as `ci-bench run`: 0 pass, 1 regression, 2 error. The history is not written.");

  FlamegraphOptions flamegraph_options;
  std::vector<std::string> flamegraph_inputs;
  auto* flamegraph = app.add_subcommand("flamegraph", "Draw a Callgrind profile as a flame graph (SVG, no script, "
                                                      "no network), or two as a differential one: widths from NEW, "
                                                      "each frame coloured by the change of its own instructions "
                                                      "since OLD, red slower and blue faster");
  flamegraph->add_option("FILES", flamegraph_inputs, "[OLD] NEW: callgrind.out files (benchmarks with tool = \"callgrind\", "
                                                     "or suites)")->required()->expected(1, 2);
  flamegraph->add_option("-o,--output", flamegraph_options.output, "The SVG file to write")->required();
  flamegraph->add_option("--program", flamegraph_options.program,
                         "The measured program (built with -g): inlined code is drawn as frames of its own, "
                         "\"helper [inlined]\" above the function it was inlined into");
  flamegraph->footer("Examples:\n"
                     "  ci-bench flamegraph build/ci-bench/NAME.callgrind.out -o NAME.svg\n"
                     "  ci-bench flamegraph base/NAME.callgrind.out build/ci-bench/NAME.callgrind.out -o diff.svg\n"
                     "ci-bench run writes NAME.flamegraph.svg itself for each benchmark that changed, coloured from "
                     "the baseline's lines.");

  InitOptions init_options;
  auto* init = app.add_subcommand("init", "Start using ci-bench in a project: a starter ci-bench.toml, an example "
                                          "benchmark with its CMakeLists.txt, and GitHub workflows that run on the "
                                          "project's default branch and pin ci-bench by commit; prints the next three "
                                          "commands. Never overwrites a file, but with --update one it wrote that "
                                          "nobody edited since");
  init->add_option("DIR", init_options.dir, "The project's folder")->default_str(".");
  init->add_option("--ci-bench-repository", init_options.repository,
                   "ci-bench on GitHub (OWNER/NAME), which the workflows call; default: the one this ci-bench was "
                   "built from (its clone's origin)");
  init->add_option("--ci-bench-ref", init_options.ref,
                   "The full commit SHA of ci-bench the workflows pin (a tag can be moved, so it is refused); "
                   "default: the commit this ci-bench was built from");
  init->add_option("--ci-bench-tag", init_options.tag,
                   "That commit's tag, written beside the SHA as a comment; default: the build's tag when the ref is "
                   "the build's commit");
  init->add_option("--container", init_options.container,
                   "The image CI measures in, best pinned by digest (debian:12@sha256:...); default: debian:12");
  init->add_flag("--update", init_options.update,
                 "Rewrite the files init wrote (a new --ci-bench-ref, say) that nobody edited since; leave edited "
                 "and removed ones alone and name them");
  init->footer("Example: ci-bench init my-project --ci-bench-repository acme/ci-bench \\\n"
               "           --ci-bench-ref 0123456789abcdef0123456789abcdef01234567 --ci-bench-tag v0.1.0\n"
               "Exit status: 0 written, 2 a file exists (it is named; nothing is written) or another error.");
  HistoryOptions history_options;
  auto* history = add_history_command(app, history_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }
  // Commands that run workloads stop them cleanly on Ctrl-C and write what finished. The others
  // only read files and write theirs atomically (SQLite's transactions, temporary files renamed),
  // so the signal's default, stopping at once, is what a user pressing Ctrl-C wants of them.
  if (!history->parsed() && !diff->parsed() && !folded->parsed() && !flamegraph->parsed()) install_interrupt_handler();
  become_subreaper();
  const int status = [&] {
    try {
      if (time->parsed()) {
        const bool comparing = !time_options.compare.empty();
        time_options.sampling.budget = std::chrono::milliseconds(budget_ms);
        time_options.sampling.warmup = std::chrono::milliseconds(warmup_ms.value_or(comparing ? 50 : 200));
        time_options.threshold_pct = threshold_pct.value_or(comparing ? 3 : 10);
        time_options.count_instructions = !no_count;
        return time_benchmarks(time_options);
      }
      if (diff->parsed()) {
        diff_files(diff_old, diff_new, stdout);
        return 0;
      }
      if (init->parsed()) return init_project(init_options);
      if (history->parsed()) return run_history_command(*history, history_options);
      if (merge->parsed()) return merge_results(merge_options);
      if (folded->parsed()) {
        print_folded_stacks(folded_input, stdout);
        return 0;
      }
      if (explain->parsed()) return explain_benchmark(explain_options, explain_name);
      if (flamegraph->parsed()) {
        flamegraph_options.new_file = flamegraph_inputs.back();
        if (flamegraph_inputs.size() == 2) flamegraph_options.old_file = flamegraph_inputs.front();
        write_flamegraph(flamegraph_options);
        fmt::print("{}\n", flamegraph_options.output.string());
        return 0;
      }
      return run_benchmarks(run);
    } catch (const Error& e) {
      fmt::print(stderr, "ci-bench: error: {}\n", printable_lines(e.what()));
      return 2;
    } catch (const std::exception& e) {
      fmt::print(stderr, "ci-bench: internal error: {}\n", printable_lines(e.what()));
      return 2;
    }
  }();
  // Interrupted: whatever the subcommand made of it, the conventional 128 + signal (130, 143).
  if (int sig = interrupt_signal()) return 128 + sig;
  return status;
}

} // namespace cibench

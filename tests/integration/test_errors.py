"""Workloads that crash, hang or fail, and bad input: exit 2 with a message that says what and where,
while everything else is still measured."""
import os
import shutil
import subprocess
import time

from cibench_test import CIBENCH, CiBenchTest, TESTPROG, TESTSUITE


class Errors(CiBenchTest):
    def test_crash_and_failure_are_errors_while_the_rest_is_measured(self):
        self.write_config(f'[[benchmark]]\nname = "ok"\ncommand = ["{TESTPROG}", "loop", "100"]\n'
                          f'[[benchmark]]\nname = "crash"\ncommand = ["{TESTPROG}", "crash"]\n'
                          f'[[benchmark]]\nname = "fail"\ncommand = ["{TESTPROG}", "fail"]\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertEqual(r.bench("ok")["status"], "new")
        self.assertGreater(r.bench("ok")["metrics"]["instructions"], 0)
        crash = r.bench("crash")
        self.assertEqual(crash["status"], "error")
        self.assertIn("signal 11", crash["error"])
        self.assertIn("Process terminating", crash["error"])  # Valgrind's account of the crash
        fail = r.bench("fail")
        self.assertEqual(fail["status"], "error")
        self.assertIn("exited with status 3", fail["error"])
        self.assertIn("disk full", fail["error"])  # the tail of its stderr
        self.assertIn("2 error", r.stdout)

    def test_a_hang_is_killed_at_its_timeout(self):
        self.write_config(f'[[benchmark]]\nname = "hang"\ncommand = ["{TESTPROG}", "hang"]\ntimeout = 2\n'
                          f'[[benchmark]]\nname = "ok"\ncommand = ["{TESTPROG}", "loop", "100"]\n')
        start = time.monotonic()
        r = self.run_cibench()
        elapsed = time.monotonic() - start
        self.assertExit(r, 2)
        self.assertIn("timed out after 2 s", r.bench("hang")["error"])
        self.assertEqual(r.bench("ok")["status"], "new")
        self.assertLess(elapsed, 15)

    def test_a_missing_program_is_named_with_what_to_do(self):
        self.write_config('[[benchmark]]\nname = "unbuilt"\ncommand = ["build/bin/not-built"]\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn(f"{self.dir}/build/bin/not-built: no such program: build it first, or fix the command", r.bench("unbuilt")["error"])

    def test_a_program_without_a_slash_was_looked_up_on_path_and_the_error_says_so(self):
        # `binary = "suite"` next to the config: a shell would not run it either, but the error
        # used to say only "No such file or directory".
        shutil.copy(TESTSUITE, os.path.join(self.dir, "suite"))
        shutil.copy(TESTPROG, os.path.join(self.dir, "prog"))
        self.write_config('[[suite]]\nbinary = "suite"\n'
                          '[[benchmark]]\nname = "plain"\ncommand = ["prog", "loop", "100"]\n'
                          '[[benchmark]]\nname = "nowhere"\ncommand = ["no-such-tool-anywhere"]\n'
                          f'[[benchmark]]\nname = "ok"\ncommand = ["{TESTPROG}", "loop", "100"]\n')
        r = self.run_cibench(env=dict(os.environ, PATH="/usr/bin:/bin"))
        self.assertExit(r, 2)
        self.assertEqual(r.bench("ok")["status"], "new")
        for name, program in (("suite", "suite"), ("plain", "prog")):
            error = r.bench(name)["error"]
            self.assertIn(f"'{program}' has no '/', so it was looked up on PATH, which has no such program", error)
            self.assertIn(f'a file of that name is next to the config: write "./{program}"', error)
        nowhere = r.bench("nowhere")
        self.assertEqual(nowhere["error_kind"], "setup")
        self.assertIn("'no-such-tool-anywhere' has no '/', so it was looked up on PATH", nowhere["error"])
        self.assertNotIn("next to the config", nowhere["error"])
        self.assertIn("ci-bench.toml:6", nowhere["error"])

    def test_the_hints_and_results_json_name_the_projects_own_command(self):
        """[report] reproduce: what this project types to build and gate; results.json carries it for
        the PR comment. Without it the hint names no command and results.json says `ci-bench run`."""
        self.write_config('[report]\nreproduce = "make bench-gate"\ndriver = "out/ci-bench"\n'
                          '[[benchmark]]\nname = "unbuilt"\ncommand = ["build/bin/not-built"]\n'
                          '[[suite]]\nbinary = "build/not-built-suite"\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("build it first (`make bench-gate` builds and measures), or fix the command", r.bench("unbuilt")["error"])
        self.assertIn("build your workloads first (`make bench-gate` builds and measures)", r.stdout)
        self.assertEqual(r.json["reproduce"], {"command": "make bench-gate", "driver": "out/ci-bench"})
        self.write_config('[[benchmark]]\nname = "unbuilt"\ncommand = ["build/bin/not-built"]\n')
        self.assertEqual(self.run_cibench().json["reproduce"], {"command": "ci-bench run", "driver": "ci-bench"})
        self.write_config('[report]\nreproduce = "make"\nrun = "x"\n[[benchmark]]\nname = "x"\ncommand = ["x/y"]\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("ci-bench.toml:3: unknown key 'run' in [report] (known: driver, reproduce)", r.stderr)

    def test_a_budget_on_a_cache_metric_needs_the_cache_simulation(self):
        self.write_config('[valgrind]\ncache_sim = false\n'
                          f'[[benchmark]]\nname = "x"\ncommand = ["{TESTPROG}", "loop", "1"]\n'
                          'budget = { estimated_cycles = 1_000 }\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("a threshold or budget on 'estimated_cycles' needs the cache simulation", r.stderr)

    def test_a_region_measured_twice_is_an_error(self):
        self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\n')
        r = self.run_cibench("--filter", "twice")
        self.assertExit(r, 2)
        self.assertIn("called measure() 2 times", r.bench("twice")["error"])

    def test_a_missing_suite_binary_is_an_error_that_says_to_build(self):
        self.write_config('[[suite]]\nbinary = "build/not-built"\n'
                          f'[[benchmark]]\nname = "ok"\ncommand = ["{TESTPROG}", "loop", "100"]\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("not-built", r.stdout)
        self.assertIn("is it built?", r.stdout)
        self.assertEqual(r.bench("ok")["status"], "new")

    def test_a_regression_and_an_error_exit_2(self):
        self.write_config(f'[[benchmark]]\nname = "loop"\ncommand = ["{TESTPROG}", "loop", "1000"]\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.write_config(f'[[benchmark]]\nname = "loop"\ncommand = ["{TESTPROG}", "loop", "90000"]\n'
                          f'[[benchmark]]\nname = "crash"\ncommand = ["{TESTPROG}", "crash"]\n')
        r = self.run_cibench()
        self.assertEqual(r.bench("loop")["status"], "fail")
        self.assertExit(r, 2)  # errors win over failures

    def test_bad_config_names_file_and_line(self):
        config = self.write_config(f'[[benchmark]]\nname = "x"\ncommand = ["{TESTPROG}"]\ntimeuot = 3\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn(f"ci-bench: error: {config}:4: unknown key 'timeuot' in [[benchmark]]", r.stderr)
        self.assertEqual((r.json["exit_code"], r.json["benchmarks"]), (2, []))  # says the run did not finish
        self.assertIn("unknown key 'timeuot'", r.json["error"])

    def test_missing_config_and_bad_filter(self):
        r = self.run_cibench(config=os.path.join(self.dir, "absent.toml"))
        self.assertExit(r, 2)
        self.assertIn("no such config file", r.stderr)
        self.write_config(f'[[benchmark]]\nname = "x"\ncommand = ["{TESTPROG}", "loop", "1"]\n')
        r = self.run_cibench("--filter", "(")
        self.assertExit(r, 2)
        self.assertIn("--filter '(' is not a valid regular expression", r.stderr)
        r = self.run_cibench("--filter", "nothing-matches")
        self.assertExit(r, 2)
        self.assertIn("matches no benchmark", r.stderr)

    def test_missing_valgrind_says_how_to_install_it(self):
        self.write_config(f'[[benchmark]]\nname = "x"\ncommand = ["{TESTPROG}", "loop", "1"]\n')
        r = self.run_cibench(env={"PATH": "/nonexistent"})
        self.assertExit(r, 2)
        self.assertIn("valgrind is not installed", r.stderr)
        self.assertIn("ci/install-deps.sh", r.stderr)

    def test_help_teaches_the_commands_and_exit_status(self):
        for args in (["--help"], ["run", "--help"]):
            proc = subprocess.run([CIBENCH, *args], capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0)
            self.assertIn("Exit status", proc.stdout)
        proc = subprocess.run([CIBENCH, "run", "--jobs", "0"], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 2)
        proc = subprocess.run([CIBENCH], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 2)


if __name__ == "__main__":
    import unittest
    unittest.main()

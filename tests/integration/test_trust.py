"""A failed gate never looks green: stale files, bad baselines, impossible counts, other toolchains,
hostile text and concurrent runs each end in the right exit code and an honest results.json."""
import json
import os
import subprocess
import threading

from cibench_test import CIBENCH, CiBenchTest, TESTPROG, read_json

LOOP = f'[[benchmark]]\nname = "ok"\ncommand = ["{TESTPROG}", "loop", "100"]\n'


class Trust(CiBenchTest):
    def script(self, name, body):
        self.write_script(name, body)
        return "./" + name

    def test_a_run_that_cannot_finish_replaces_an_old_passing_results_json(self):
        out = os.path.join(self.dir, "out")
        os.makedirs(out)
        with open(os.path.join(out, "results.json"), "w") as f:
            json.dump({"schema": 1, "exit_code": 0, "benchmarks": [{"name": "old", "status": "pass"}]}, f)
        self.write_config("[[benchmark]\n")  # a TOML syntax error
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertEqual(r.json["exit_code"], 2)
        self.assertEqual(r.json["benchmarks"], [])
        self.assertIn("ci-bench.toml", r.json["error"])

    def test_a_baseline_dir_that_is_a_file_is_an_error(self):
        with open(os.path.join(self.dir, "baselines"), "w") as f:
            f.write("not a folder")
        self.write_config(LOOP)
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("is not a folder", r.stderr)
        self.assertEqual(r.json["exit_code"], 2)

    def test_a_baseline_of_wrong_types_is_that_benchmarks_error_and_an_update_repairs_it(self):
        self.write_config(LOOP + f'[[benchmark]]\nname = "other"\ncommand = ["{TESTPROG}", "loop", "50"]\n')
        os.makedirs(os.path.join(self.dir, "baselines"))
        bad = os.path.join(self.dir, "baselines", "ok.json")
        with open(bad, "w") as f:
            json.dump({"schema": "1", "benchmark": "ok", "fingerprint": "x", "metrics": {}}, f)
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertEqual(r.bench("ok")["status"], "error")
        self.assertEqual(r.bench("ok")["error_kind"], "baseline")
        self.assertIn(bad, r.bench("ok")["error"])
        self.assertEqual(r.bench("other")["status"], "new")
        r = self.run_cibench("--update-baselines")
        self.assertExit(r, 0)
        self.assertEqual(read_json(bad)["schema"], 1)
        self.assertExit(self.run_cibench(), 0)

    def test_a_program_that_is_not_a_suite_gives_impossible_counts_not_a_pass(self):
        suite = self.script("not_a_suite.sh", 'case "$1" in\n  --list) echo region ;;\n'
                            '  --calibrate) i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done ;;\nesac\n')
        self.write_config(f'[[suite]]\nbinary = "{suite}"\ntool = "cachegrind"\n')  # regions by calibration
        r = self.run_cibench()
        self.assertExit(r, 2)
        error = r.bench("region")["error"]
        self.assertIn("impossible counts: Ir is -", error)
        self.assertIn("region.cachegrind.out", error)
        self.assertIn("region+calibrate.cachegrind.out", error)

    def test_a_baseline_from_another_toolchain_is_incomparable_and_fails_unless_allowed(self):
        self.write_config(LOOP)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        path = os.path.join(self.dir, "baselines", "ok.json")
        baseline = read_json(path)
        baseline["fingerprint"]["compiler"] = "GCC: (Debian 10.2.1-6) 10.2.1"
        baseline["metrics"]["instructions"] *= 2  # would be "improved" if it were judged
        with open(path, "w") as f:
            json.dump(baseline, f)
        r = self.run_cibench()
        self.assertExit(r, 1)
        self.assertEqual(r.bench("ok")["status"], "incomparable")
        self.assertNotIn("instructions", r.bench("ok")["metric_status"])
        self.assertEqual(r.bench("ok")["baseline"]["instructions"], baseline["metrics"]["instructions"])  # shown
        self.assertNotIn("instructions", r.bench("ok")["change_pct"])  # never turned into a change
        self.assertIn("(not compared)", r.stdout)
        self.assertIn("compiler: GCC: (Debian 10.2.1-6) 10.2.1 (baseline)", r.stdout)
        self.assertIn("ci-bench run --update-baselines", r.stdout)
        self.assertExit(self.run_cibench("--allow-incomparable"), 0)
        self.write_config('incomparable = "warn"\n' + LOOP)
        self.assertExit(self.run_cibench(), 0)

    def test_text_that_is_not_utf8_or_holds_escapes_is_made_safe_everywhere(self):
        failing = self.script("fails.sh", "printf 'bad \\377\\376 bytes \\033]0;pwned\\007 \\342\\202\\n' >&2\nexit 3\n")
        self.write_config(f'[[benchmark]]\nname = "fails"\ncommand = ["{failing}"]\n' + LOOP)
        r = self.run_cibench()
        self.assertExit(r, 2)
        error = r.bench("fails")["error"]
        self.assertIn("bad \ufffd\ufffd bytes", error)
        self.assertNotIn("\x1b", r.stdout + r.stderr)
        self.assertIn("\\x1b]0;pwned\\x07", r.stdout)
        self.assertEqual(r.bench("ok")["status"], "new")

    def test_a_suite_listing_an_unusable_name_fails_alone(self):
        suite = self.script("lister.sh", "[ \"$1\" = --list ] && printf 'fine\\nbad\\033[31mname\\n'\n")
        self.write_config(f'[[suite]]\nbinary = "{suite}"\n' + LOOP)
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("contains a control character", r.bench("lister.sh")["error"])
        self.assertEqual(r.bench("ok")["status"], "new")
        self.assertNotIn("\x1b", r.stdout + r.stderr)

    def test_an_empty_program_name_is_rejected(self):
        self.write_config('[[benchmark]]\nname = "empty"\ncommand = [""]\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("'command' must start with a program", r.stderr)
        self.write_config('[[suite]]\nbinary = ""\n')
        self.assertIn("'binary' must name a program", self.run_cibench().stderr)

    def test_a_name_whose_escaped_file_name_is_too_long_still_runs(self):
        name = "/" * 200  # escaped byte by byte, 600 characters: past the file system's 255
        self.write_config(f'[[benchmark]]\nname = "{name}"\ncommand = ["{TESTPROG}", "loop", "100"]\n')
        r = self.run_cibench("--update-baselines")
        self.assertExit(r, 0)
        self.assertExit(self.run_cibench(), 0)
        self.assertEqual(r.bench(name)["status"], "new")

    def test_the_verdict_is_printed_even_when_results_json_cannot_be_written(self):
        self.write_config(LOOP)
        blocker = os.path.join(self.dir, "out", "results.json", "x")
        os.makedirs(blocker)  # results.json is a non-empty folder: it can be neither removed nor replaced
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("ci-bench: 1 benchmark in", r.stdout)
        self.assertIn("results.json", r.stderr)

    def test_two_runs_on_one_out_folder_take_turns(self):
        self.write_config(f'[[benchmark]]\nname = "slow"\ncommand = ["{TESTPROG}", "loop", "30000000"]\n')
        out = os.path.join(self.dir, "out")
        procs = []

        def run():
            procs.append(subprocess.run([CIBENCH, "run", "--config", os.path.join(self.dir, "ci-bench.toml"),
                                         "--out", out, "--update-baselines"], capture_output=True, text=True))
        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([p.returncode for p in procs], [0, 0], [p.stderr for p in procs])
        self.assertTrue(any("waiting for another ci-bench run" in p.stderr for p in procs))
        self.assertEqual(read_json(os.path.join(out, "results.json"))["exit_code"], 0)

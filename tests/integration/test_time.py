"""`ci-bench time` end to end: real workloads timed natively, saved, and compared."""
import json
import os
import re
import subprocess

from cibench_test import CIBENCH, CiBenchTest, TESTPROG, TESTSUITE, read_json

# Scripted timings (see the script): exact samples, too few, none.
FAKE_SUITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "programs", "fake_time_suite.sh")


class TimeBase(CiBenchTest):
    def time(self, *args, budget_ms=400):
        proc = subprocess.run([CIBENCH, "time", "--config", os.path.join(self.dir, "ci-bench.toml"),
                               "--out", os.path.join(self.dir, "out"), "--budget-ms", str(budget_ms), "--warmup-ms", "50",
                               *args],
                              capture_output=True, text=True, timeout=300)
        return proc


class Time(TimeBase):
    def loop_config(self, iterations):
        self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\nenv = {{ TESTSUITE_ITERATIONS = "{iterations}" }}\n'
                          f'[[benchmark]]\nname = "plain"\ncommand = ["{TESTPROG}", "loop", "1000"]\n')

    def test_a_20_percent_slowdown_is_found_and_a_no_op_is_not(self):
        self.loop_config(1_000_000)
        saved = self.time("--filter", "^loop$", "--save", "main")
        self.assertEqual(saved.returncode, 0, saved.stderr)
        same = self.time("--filter", "^loop$", "--baseline", "main")
        self.assertEqual(same.returncode, 0, same.stdout)
        self.assertIn("no significant change", same.stdout)
        self.loop_config(1_200_000)
        slower = self.time("--filter", "^loop$", "--baseline", "main", "--markdown", os.path.join(self.dir, "report.md"))
        self.assertEqual(slower.returncode, 1, slower.stdout)
        self.assertIn(": regression", slower.stdout)
        change = float(re.search(r"vs 'main': \+([0-9.]+)%", slower.stdout).group(1))
        self.assertGreater(change, 12)
        with open(os.path.join(self.dir, "report.md")) as f:
            report = f.read()
        self.assertIn("## Baseline (main)", report)
        self.assertIn("Welch's t-test", report)
        self.assertIn("regression", report)

    def test_table_json_and_saved_samples(self):
        self.loop_config(100_000)
        out_json = os.path.join(self.dir, "gb.json")
        proc = self.time("--filter", "^(loop|plain|empty)$", "--save", "x", "--json", out_json)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for word in ("mean", "p50", "p95", "p99", "outliers (Tukey, kept in)", "95% CI", "clock resolution"):
            self.assertIn(word, proc.stdout)
        self.assertIn("timed in batches", proc.stdout)  # the empty body is too short to time alone
        self.assertIn("a plain command", proc.stdout)
        gb = read_json(out_json)
        names = {b["name"] for b in gb["benchmarks"]}
        self.assertTrue({"loop", "loop_mean", "loop_median", "loop_stddev", "plain", "empty"} <= names, names)
        reps = [b for b in gb["benchmarks"] if b["name"] == "loop"]
        self.assertGreaterEqual(len(reps), 10)
        self.assertEqual(reps[0]["time_unit"], "ns")
        self.assertEqual(reps[0]["run_type"], "iteration")
        saved = read_json(os.path.join(self.dir, "out", "time", "x.json"))
        self.assertEqual(len(saved["benchmarks"]["loop"]["ns_per_iteration"]), len(reps))

    def test_missing_baseline_is_an_error_that_says_how_to_save(self):
        self.loop_config(1000)
        proc = self.time("--filter", "^loop$", "--baseline", "nothing")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("ci-bench time --save nothing", proc.stderr)


class TimeWithScriptedSamples(TimeBase):
    """Samples no real workload would give, from tests/programs/fake_time_suite.sh."""

    def fake_config(self, offset=0):
        self.write_config(f'[[suite]]\nbinary = "{FAKE_SUITE}"\nenv = {{ FAKE_TIME_OFFSET = "{offset}" }}\n')

    def saved(self, name):
        return read_json(os.path.join(self.dir, "out", "time", f"{name}.json"))["benchmarks"]

    def test_a_benchmark_without_samples_is_its_own_error(self):
        # Before: the whole run stopped at `none` with "statistics: no samples", naming nothing.
        self.fake_config()
        md, gb = os.path.join(self.dir, "report.md"), os.path.join(self.dir, "gb.json")
        proc = self.time("--markdown", md, "--json", gb, budget_ms=100)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertNotIn("statistics:", proc.stdout + proc.stderr)
        self.assertIn("error     none\n  asked for 10 samples, the workload printed 0", proc.stdout)
        self.assertIn("error     one\n  asked for 10 samples, the workload printed 1", proc.stdout)
        self.assertIn("ok  (n = 10,", proc.stdout)
        self.assertIn("also_ok  (n = 10,", proc.stdout)  # listed after the errors: still timed
        self.assertIn("4 benchmarks, 0 regression(s), 0 improvement(s), 2 error(s)", proc.stdout)
        with open(md) as f:
            report = f.read()
        self.assertIn("## none\nError: asked for 10 samples", report)
        self.assertIn("## one\nError: asked for 10 samples", report)
        self.assertEqual({b["run_name"] for b in read_json(gb)["benchmarks"]}, {"ok", "also_ok"})

    def test_save_writes_only_what_baseline_can_load(self):
        # Before: `one` was saved with one sample, and --baseline then refused the whole file.
        self.fake_config()
        saved = self.time("--save", "s", budget_ms=100)
        self.assertEqual(saved.returncode, 2, saved.stdout)
        self.assertIn("(2 benchmark(s) with an error left out)", saved.stdout)
        self.assertEqual(set(self.saved("s")), {"ok", "also_ok"})
        again = self.time("--filter", "^(ok|also_ok)$", "--baseline", "s", budget_ms=100)
        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
        self.assertEqual(again.stdout.count("vs 's': +0.00%"), 2, again.stdout)

    def test_a_bad_entry_saved_by_an_older_version_is_skipped_with_a_message(self):
        self.fake_config()
        old = os.path.join(self.dir, "out", "time", "old.json")
        os.makedirs(os.path.dirname(old))
        good = [100000.0 + 0.2 * i for i in range(10)]
        with open(old, "w") as f:  # what the old --save wrote for a benchmark that gave one sample
            json.dump({"schema": 1, "name": "old", "benchmarks": {
                "ok": {"iterations": 10, "ns_per_iteration": [100000.0]},
                "also_ok": {"iterations": 10, "ns_per_iteration": good}}}, f)
        proc = self.time("--filter", "^(ok|also_ok)$", "--baseline", "old", budget_ms=100)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn(f"not compared with 'old': its entry in {old}: 1 sample(s); a comparison needs at least 2",
                      proc.stdout)
        self.assertIn("vs 'old': +0.00%", proc.stdout)  # also_ok: the rest of the file still compares
        with open(old, "w") as f:
            f.write('{"schema": 1, "name": "old", "benchmarks": ')  # cut short: the whole file is unusable
        broken = self.time("--filter", "^ok$", "--baseline", "old", budget_ms=100)
        self.assertEqual(broken.returncode, 2)
        self.assertIn(f"ci-bench: error: {old}: corrupt saved samples:", broken.stderr)

if __name__ == "__main__":
    import unittest
    unittest.main()

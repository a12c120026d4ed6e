"""`ci-bench time` end to end: real workloads timed natively, saved, and compared."""
import json
import os
import re

from cibench_test import CiBenchTest, TESTPROG, TESTSUITE, read_json
import subprocess
from cibench_test import CIBENCH


class Time(CiBenchTest):
    def time(self, *args):
        proc = subprocess.run([CIBENCH, "time", "--config", os.path.join(self.dir, "ci-bench.toml"),
                               "--out", os.path.join(self.dir, "out"), "--budget-ms", "400", "--warmup-ms", "50", *args],
                              capture_output=True, text=True, timeout=300)
        return proc

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


if __name__ == "__main__":
    import unittest
    unittest.main()

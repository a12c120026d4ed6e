"""`ci-bench time` end to end: real workloads timed natively, saved, and compared."""
import itertools
import json
import math
import os
import re
import statistics
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

    def test_a_slowdown_is_found_and_a_no_op_is_not(self):
        # Saved samples carry their moment's load: under `ctest -j2` beside other builds a no-op came
        # out -13 % at p = 0.01, and a 20 % slowdown was missed. Hence twice the work and a wide
        # threshold here; --compare (TimeCompare below) is the way to judge smaller changes.
        self.loop_config(1_000_000)
        saved = self.time("--filter", "^loop$", "--save", "main")
        self.assertEqual(saved.returncode, 0, saved.stderr)
        same = self.time("--filter", "^loop$", "--baseline", "main", "--threshold", "40")
        self.assertEqual(same.returncode, 0, same.stdout)
        self.assertIn("no significant change", same.stdout)
        self.assertIn("carry the machine's state of the moment they were taken", same.stderr)
        self.assertIn("instructions unchanged (", same.stdout)  # the count is saved with the samples
        self.loop_config(2_000_000)
        slower = self.time("--filter", "^loop$", "--baseline", "main", "--markdown", os.path.join(self.dir, "report.md"))
        self.assertEqual(slower.returncode, 1, slower.stdout)
        self.assertIn(": regression", slower.stdout)
        change = float(re.search(r"vs 'main': \+([0-9.]+)%", slower.stdout).group(1))
        self.assertGreater(change, 30)
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


class TimeCompare(TimeBase):
    """--compare: two configs (two folders), the same suite binary, the loop's size set per side."""

    def side(self, name, iterations, extra=""):
        folder = os.path.join(self.dir, name)
        os.makedirs(folder)
        return self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\nenv = {{ TESTSUITE_ITERATIONS = "{iterations}" }}\n'
                                 + extra, folder)

    def compare(self, here, other, *args, blocks=6):
        return subprocess.run([CIBENCH, "time", "--config", here, "--compare", other, "--out", os.path.join(self.dir, "out"),
                               "--blocks", str(blocks), "--budget-ms", "300", "--warmup-ms", "20", *args],
                              capture_output=True, text=True, timeout=300)

    def test_an_unchanged_build_is_no_significant_change_beside_its_noise_floor(self):
        here = self.side("here", 1_000_000, f'[[benchmark]]\nname = "plain"\ncommand = ["{TESTPROG}", "loop", "1000"]\n')
        other = self.side("other", 1_000_000)
        # --threshold 10: the statement under test is the report; a loaded machine must not flip it.
        proc = self.compare(here, other, "--filter", "^(loop|plain)$", "--seed", "7", "--threshold", "10")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("loop  (6 blocks of", proc.stdout)
        self.assertIn("no significant change: ", proc.stdout)
        floor = re.search(r"noise floor ([0-9.]+)% \(each build against itself between its blocks, 6 pairs", proc.stdout)
        self.assertIsNotNone(floor, proc.stdout)
        self.assertIn("instructions unchanged (", proc.stdout)
        self.assertIn("only in this build's config, not compared: plain", proc.stdout)
        self.assertIn("seed 7 (--seed 7 repeats the order)", proc.stdout)
        self.assertIn("Wilcoxon signed-rank exact p", proc.stdout)

    def test_a_build_twice_as_slow_is_found_with_its_instruction_count(self):
        # Twice the work: under `ctest -j2` beside other builds the noise floor reached 26 % with 6 blocks.
        here, other = self.side("here", 2_000_000), self.side("other", 1_000_000)
        md, gb = os.path.join(self.dir, "report.md"), os.path.join(self.dir, "gb.json")
        proc = self.compare(here, other, "--filter", "^loop$", "--markdown", md, "--json", gb, blocks=10)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("regression: p < 0.05 (t and Wilcoxon) and a change past", proc.stdout)
        change = float(re.search(r"change \+([0-9.]+)% \(95% CI", proc.stdout).group(1))
        self.assertGreater(change, 40, proc.stdout)
        # The work grew with the time: the report says so beside it.
        counted = re.search(r"time \+[0-9.]+%, instructions \+([0-9.]+)% \(([0-9 ]+) -> ([0-9 ]+)\)", proc.stdout)
        self.assertIsNotNone(counted, proc.stdout)
        self.assertAlmostEqual(float(counted.group(1)), 100.0, delta=0.5)
        with open(md) as f:
            report = f.read()
        self.assertIn("❌ regression", report)
        self.assertRegex(report, r"- loop: time \+[0-9.]+%, instructions \+100\.00%")  # "Time beside work"
        entries = [b for b in read_json(gb)["benchmarks"] if b["run_name"] == "loop"]
        self.assertGreaterEqual(len(entries), 10 * 3)
        self.assertEqual({b["instructions"] for b in entries}, {int(counted.group(3).replace(" ", ""))})

    def test_compare_refuses_baseline_and_names_no_common_benchmark(self):
        here, other = self.side("here", 1000), self.side("other", 1000)
        both = self.compare(here, other, "--baseline", "x")
        self.assertEqual(both.returncode, 2)
        self.assertIn("excludes", both.stderr)
        with open(other, "w") as f:
            f.write(f'[[benchmark]]\nname = "plain"\ncommand = ["{TESTPROG}", "loop", "1000"]\n')
        none = self.compare(here, other, "--no-count")
        self.assertEqual(none.returncode, 2)
        self.assertIn("no benchmark name is in both", none.stderr)


def exact_mann_whitney_p(a, b):
    """Two-sided exact p by brute force: every way of giving n1 of the pooled ranks to a (no ties)."""
    n1, n = len(a), len(a) + len(b)
    pooled = sorted(a + b)
    assert len(set(pooled)) == n, "ties: no exact p"
    u_obs = sum(x > y for x in a for y in b)
    nearer = min(u_obs, n1 * len(b) - u_obs)
    as_extreme = total = 0
    for ranks in itertools.combinations(range(n), n1):
        u = sum(ranks) - n1 * (n1 - 1) // 2  # a's U from its 0-based ranks
        as_extreme += min(u, n1 * len(b) - u) <= nearer
        total += 1
    return u_obs, as_extreme / total


def hedges_g(a, b):
    """Cohen's d (pooled sd) times J(df) = Γ(df/2) / (√(df/2) Γ((df−1)/2)), from the statistics module."""
    na, nb = len(a), len(b)
    df = na + nb - 2
    pooled = math.sqrt(((na - 1) * statistics.variance(a) + (nb - 1) * statistics.variance(b)) / df)
    d = (statistics.mean(b) - statistics.mean(a)) / pooled
    return d, d * math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))


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

    def test_mann_whitney_says_which_p_and_the_exact_one_is_right(self):
        self.fake_config(offset=0)
        self.assertEqual(self.time("--filter", "^ok$", "--save", "even", budget_ms=100).returncode, 0)
        self.fake_config(offset=1)
        md = os.path.join(self.dir, "report.md")
        proc = self.time("--filter", "^ok$", "--baseline", "even", "--save", "odd", "--markdown", md, budget_ms=100)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        base, cand = self.saved("even")["ok"]["ns_per_iteration"], self.saved("odd")["ok"]["ns_per_iteration"]
        self.assertEqual((len(base), len(cand)), (10, 10))
        u, p = exact_mann_whitney_p(base, cand)  # 10 and 10 values, interleaved: U = 45, p = 0.7394
        shown = re.search(r"Mann-Whitney U exact p = ([0-9.]+); Cohen's d = (-?[0-9.]+), Hedges' g = (-?[0-9.]+)",
                          proc.stdout)
        self.assertIsNotNone(shown, proc.stdout)
        self.assertAlmostEqual(float(shown.group(1)), p, delta=5e-5)
        d, g = hedges_g(base, cand)
        self.assertAlmostEqual(float(shown.group(2)), d, delta=0.005)
        self.assertAlmostEqual(float(shown.group(3)), g, delta=0.005)
        with open(md) as f:
            report = f.read()
        self.assertIn(f"- Mann–Whitney U (exact): U = {u:.1f}, p = {p:.4f}", report)
        self.assertIn(f"Hedges' g = {g:.2f}", report)
        # The same samples again: every value tied with one in the baseline, so no exact p.
        tied = self.time("--filter", "^ok$", "--baseline", "odd", budget_ms=100)
        self.assertIn("Mann-Whitney U normal approximation p = 1.0000", tied.stdout)


if __name__ == "__main__":
    import unittest
    unittest.main()

"""The gate's decisions, end to end: baselines written, regressions failing with exit 1."""
import json
import os

from cibench_test import CiBenchTest, TESTPROG, TESTSUITE, read_json


class Gate(CiBenchTest):
    def loop_config(self, iterations, fail="0.5%", extra=""):
        return self.write_config(f'[[benchmark]]\nname = "loop"\ncommand = ["{TESTPROG}", "loop", "{iterations}"]\n'
                                 f'[benchmark.thresholds]\nfail = {{ instructions = "{fail}" }}\n{extra}')

    def test_update_baselines_then_run_passes(self):
        self.loop_config(100_000)
        r = self.run_cibench("--update-baselines")
        self.assertExit(r, 0)
        self.assertIn("baseline written", r.stdout)
        baseline = read_json(os.path.join(self.dir, "baselines", "loop.json"))
        self.assertEqual(baseline["benchmark"], "loop")
        self.assertEqual(baseline["metrics"]["Ir"], r.bench("loop")["metrics"]["Ir"])
        for key in ("valgrind", "cache", "compiler", "libc", "arch", "tool"):
            self.assertTrue(baseline["fingerprint"][key], key)
        self.assertIn("GCC", baseline["fingerprint"]["compiler"])
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertEqual(r.bench("loop")["status"], "pass")
        self.assertEqual(r.bench("loop")["change_pct"]["instructions"], 0)
        self.assertIn("1 pass, 0 warn, 0 fail", r.stdout)

    def test_a_refresh_of_unchanged_counts_keeps_the_recorded_seconds(self):
        # A workload that sleeps 2 s: however loaded the machine, a second run takes at least 2 s,
        # so it stays within a factor of two of the first run's figure times 1.2.
        self.write_config(f'[[benchmark]]\nname = "loop"\ncommand = ["{TESTPROG}", "sleep", "2000"]\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        path = os.path.join(self.dir, "baselines", "loop.json")
        baseline = read_json(path)
        self.assertGreaterEqual(baseline["seconds"], 2.0)
        # The clock's noise (here a recorded figure 1.2 times the measured one) rewrites nothing ...
        baseline["seconds"] = round(baseline["seconds"] * 1.2, 1)
        with open(path, "w") as f:
            json.dump(baseline, f)
        r = self.run_cibench("--update-baselines", "--no-reuse")
        self.assertExit(r, 0)
        self.assertNotEqual(round(r.bench("loop")["seconds"], 1), baseline["seconds"])
        self.assertEqual(read_json(path)["seconds"], baseline["seconds"])
        # ... while a figure far off (a benchmark that became ten times longer) is replaced.
        baseline["seconds"] = 100.0
        with open(path, "w") as f:
            json.dump(baseline, f)
        self.assertExit(self.run_cibench("--update-baselines", "--no-reuse"), 0)
        self.assertLess(read_json(path)["seconds"], 50)

    def test_a_workload_one_percent_slower_fails_with_exit_1(self):
        self.loop_config(100_000)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.loop_config(101_000)
        r = self.run_cibench()
        self.assertExit(r, 1)
        b = r.bench("loop")
        self.assertEqual(b["status"], "fail")
        self.assertGreater(b["change_pct"]["instructions"], 0.5)
        self.assertIn("FAIL", r.stdout)

    def test_a_three_hundredths_percent_rise_fails_a_hundredth_percent_threshold(self):
        def config(iterations):
            return (f'[[suite]]\nbinary = "{TESTSUITE}"\nenv = {{ TESTSUITE_ITERATIONS = "{iterations}" }}\n'
                    '[suite.thresholds]\nfail = { instructions = "0.01%" }\n')
        self.write_config(config(1_000_000))
        self.assertExit(self.run_cibench("--update-baselines", "--filter", "^loop$"), 0)
        self.write_config(config(1_000_300))
        r = self.run_cibench("--filter", "^loop$")
        self.assertExit(r, 1)
        self.assertAlmostEqual(r.bench("loop")["change_pct"]["instructions"], 0.03, delta=0.002)

    def test_warn_and_improved_do_not_fail(self):
        self.loop_config(100_000, fail="50%", extra='warn = { instructions = "5%" }\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.loop_config(120_000, fail="50%", extra='warn = { instructions = "5%" }\n')
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertEqual(r.bench("loop")["status"], "warn")
        self.loop_config(50_000, fail="50%", extra='warn = { instructions = "5%" }\n')
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertEqual(r.bench("loop")["status"], "improved")

    def test_no_baseline_is_new_and_a_baseline_without_benchmark_is_gone(self):
        self.loop_config(1000)
        os.makedirs(os.path.join(self.dir, "baselines"))
        with open(os.path.join(self.dir, "baselines", "old.json"), "w") as f:
            json.dump({"schema": 1, "benchmark": "old", "metrics": {"Ir": 1}}, f)
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertEqual(r.bench("loop")["status"], "new")
        self.assertEqual(r.json["gone"], ["old"])
        self.assertIn("have no benchmark", r.stdout)

    def test_a_corrupt_baseline_is_an_error_naming_the_file(self):
        self.loop_config(1000)
        os.makedirs(os.path.join(self.dir, "baselines"))
        path = os.path.join(self.dir, "baselines", "loop.json")
        with open(path, "w") as f:
            f.write('{"schema": 1, "benchmark": "loop", "metrics": {"Ir": ')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn(f"{path}: corrupt baseline", r.bench("loop")["error"])
        self.assertIn("corrupt baseline", r.stdout)
        # --update-baselines replaces it, and the gate passes again.
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.assertExit(self.run_cibench(), 0)

    def test_a_negative_count_in_a_baseline_is_refused_naming_the_file_and_metric(self):
        self.loop_config(1000)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        path = os.path.join(self.dir, "baselines", "loop.json")
        baseline = read_json(path)
        baseline["metrics"]["instructions"] = baseline["metrics"]["Ir"] = -5
        with open(path, "w") as f:
            json.dump(baseline, f)
        r = self.run_cibench()  # its content fingerprint is unchanged: the counts would be reused
        self.assertExit(r, 2)
        self.assertEqual(r.bench("loop")["status"], "error")
        self.assertNotIn("reused", r.bench("loop"))
        self.assertIn(f"{path}: corrupt baseline", r.bench("loop")["error"])
        self.assertIn("metric 'Ir' is -5", r.bench("loop")["error"])

    def test_update_baselines_says_what_it_wrote_and_what_it_did_not(self):
        self.write_config(f'[[benchmark]]\nname = "broken"\ncommand = ["{TESTPROG}", "fail"]\n')
        r = self.run_cibench("--update-baselines")
        self.assertExit(r, 2)
        self.assertNotIn("baselines written", r.stdout)
        self.assertIn("no baseline written: 1 benchmark failed or counted nondeterministically (above); the baseline "
                      "folder is unchanged", r.stdout)
        self.loop_config(1000, extra=f'[[benchmark]]\nname = "broken"\ncommand = ["{TESTPROG}", "fail"]\n')
        r = self.run_cibench("--update-baselines")
        self.assertIn(f"1 baseline written to {os.path.join(self.dir, 'baselines')}: review and commit it; 1 benchmark "
                      "failed or counted nondeterministically (above): its baseline is unchanged", r.stdout)

    def test_a_different_fingerprint_is_said_plainly(self):
        self.loop_config(1000)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        path = os.path.join(self.dir, "baselines", "loop.json")
        baseline = read_json(path)
        baseline["fingerprint"]["valgrind"] = "valgrind-3.18.1"
        with open(path, "w") as f:
            json.dump(baseline, f)
        r = self.run_cibench()
        self.assertExit(r, 1)  # incomparable fails the gate unless allowed
        self.assertEqual(r.bench("loop")["status"], "incomparable")
        self.assertIn("not comparable: valgrind: valgrind-3.18.1 (baseline) vs valgrind-3.19.0 (now)", r.stdout)
        self.assertEqual(len(r.bench("loop")["fingerprint_differences"]), 1)

    def test_a_hostile_name_stays_inside_the_baseline_folder(self):
        self.write_config(f'[[benchmark]]\nname = "../../escape | `x` <b>"\ncommand = ["{TESTPROG}", "loop", "10"]\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.assertEqual(os.listdir(os.path.join(self.dir, "baselines")), ["%2E.%2F..%2Fescape%20%7C%20%60x%60%20%3Cb%3E.json"])
        self.assertFalse(os.path.exists(os.path.join(os.path.dirname(self.dir), "escape | `x` <b>.json")))
        self.assertExit(self.run_cibench(), 0)

    def test_filter_runs_only_matching_benchmarks(self):
        self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\n')
        r = self.run_cibench("--filter", "^emp")
        self.assertExit(r, 0)
        self.assertEqual([b["name"] for b in r.json["benchmarks"]], ["empty"])


if __name__ == "__main__":
    import unittest
    unittest.main()

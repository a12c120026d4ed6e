"""Callgrind: exact regions, and per-function attribution of a change in both tools' reports."""
import os
import subprocess

from cibench_test import CIBENCH, CiBenchTest, TESTPROG, TESTSUITE, read_json


class Callgrind(CiBenchTest):
    def suite_config(self, tool, hot_extra=0):
        return self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\ntool = "{tool}"\n'
                                 f'env = {{ TESTSUITE_HOT_EXTRA = "{hot_extra}" }}\n')

    def test_an_empty_region_counts_nothing_and_a_loop_counts_its_instructions(self):
        self.suite_config("callgrind")
        r = self.run_cibench("--filter", "^(empty|loop)$")
        self.assertExit(r, 0)
        self.assertEqual(r.bench("empty")["metrics"]["instructions"], 0)
        self.assertEqual(r.bench("empty")["tool"], "callgrind")
        loop = r.bench("loop")["metrics"]["instructions"]
        self.assertGreaterEqual(loop, 900_000)
        self.assertLess(loop, 900_000 + 20)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "out", "loop.callgrind.out")))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "out", "loop+calibrate.callgrind.out")))

    def test_tool_flag_overrides_the_config(self):
        self.suite_config("cachegrind")
        r = self.run_cibench("--filter", "^loop$", "--tool", "callgrind")
        self.assertExit(r, 0)
        self.assertEqual(r.bench("loop")["tool"], "callgrind")

    def test_a_workload_built_without_callgrind_h_is_an_error_not_a_zero(self):
        self.write_config(f'[[suite]]\nbinary = "{os.environ["TESTSUITE_WITHOUT_CALLGRIND"]}"\ntool = "callgrind"\n')
        r = self.run_cibench("--filter", "^loop$")
        self.assertExit(r, 2)
        self.assertIn("Callgrind never saw the region start", r.bench("loop")["error"])

    def check_slower_function_is_named_first(self, tool):
        self.suite_config(tool)
        self.assertExit(self.run_cibench("--update-baselines", "--filter", "^two_functions$"), 0)
        baseline = read_json(os.path.join(self.dir, "baselines", "two_functions.json"))
        self.assertTrue(any("hot_work" in f for f in baseline["functions"]), baseline["functions"])
        self.suite_config(tool, hot_extra=2_000)  # hot_work: 20 000 -> 22 000 iterations
        r = self.run_cibench("--filter", "^two_functions$")
        b = r.bench("two_functions")
        changes = b["function_changes"]
        self.assertTrue(changes, b)
        self.assertIn("hot_work", changes[0]["function"])
        # The config lives outside the project, so the file stays absolute: ".../tests/programs/testsuite.cpp".
        self.assertRegex(changes[0]["function"], r"^/.*/tests/programs/testsuite\.cpp:hot_work\(long\)$")
        self.assertGreater(changes[0]["change"], 0)
        # The named functions account for at least 90 % of the change in instructions.
        total = b["metrics"]["instructions"] - b["baseline"]["instructions"]
        explained = sum(c["change"] for c in changes)
        self.assertLessEqual(abs(total - explained), 0.1 * abs(total))
        self.assertIn("Functions that changed most", r.stdout)
        self.assertNotIn("cold_work", " ".join(c["function"] for c in changes[:1]))

    def test_cachegrind_names_the_slower_function_first(self):
        self.check_slower_function_is_named_first("cachegrind")

    def test_callgrind_names_the_slower_function_first(self):
        self.check_slower_function_is_named_first("callgrind")

    def test_diff_and_folded_on_real_output(self):
        self.suite_config("callgrind")
        old = self.run_cibench("--filter", "^two_functions$", out=os.path.join(self.dir, "old"))
        self.suite_config("callgrind", hot_extra=2_000)
        new = self.run_cibench("--filter", "^two_functions$", out=os.path.join(self.dir, "new"))
        self.assertExit(old, 0)
        for kind in ("results.json", "two_functions.callgrind.out"):
            proc = subprocess.run([CIBENCH, "diff", os.path.join(self.dir, "old", kind), os.path.join(self.dir, "new", kind)],
                                  capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertIn("(+2.86%)", proc.stdout)
            first_function = proc.stdout.split("changed most")[1].splitlines()[1]
            self.assertIn("+12000", first_function)  # 2 000 more iterations of 6 instructions
            self.assertIn("hot_work", first_function)
        proc = subprocess.run([CIBENCH, "folded", os.path.join(self.dir, "new", "two_functions.callgrind.out")],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        stacks = dict(line.rsplit(" ", 1) for line in proc.stdout.splitlines())
        total = new.bench("two_functions")["metrics"]["instructions"]
        self.assertAlmostEqual(sum(int(v) for v in stacks.values()), total, delta=5)
        self.assertTrue(any(k.endswith(";hot_work(long)") for k in stacks), stacks)
        # Rooted at the benchmark, its body named after it rather than after its source line.
        self.assertTrue(all(k.startswith("two_functions;") for k in stacks), stacks)
        self.assertTrue(any("CIBENCH_BENCHMARK(two_functions)" in k for k in stacks), stacks)
        self.assertFalse(any("cibench_benchmark_" in k for k in stacks), stacks)

    def test_diff_and_folded_reject_bad_input(self):
        proc = subprocess.run([CIBENCH, "diff", "/nonexistent/a.out", "/nonexistent/b.out"], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("/nonexistent/a.out: no such file", proc.stderr)
        self.suite_config("cachegrind")
        self.run_cibench("--filter", "^loop$")
        proc = subprocess.run([CIBENCH, "folded", os.path.join(self.dir, "out", "loop.cachegrind.out")],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("ci-bench: error:", proc.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()

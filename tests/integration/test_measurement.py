"""What ci-bench measures: equal to Valgrind's own figures, repeatable, and independent of where
the checkout lives and of the caller's environment."""
import os
import shutil

from cibench_test import CiBenchTest, TESTPROG, TESTSUITE, cg_annotate_totals, valgrind_log_summary

EVENTS = ["Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw"]


class Measurement(CiBenchTest):
    def test_totals_equal_valgrinds_summary_and_cg_annotate(self):
        self.write_config(f'[[benchmark]]\nname = "loop"\ncommand = ["{TESTPROG}", "loop", "5000"]\n')
        r = self.run_cibench()
        self.assertExit(r, 0)
        metrics = r.bench("loop")["metrics"]
        out = os.path.join(self.dir, "out")
        log = valgrind_log_summary(os.path.join(out, "loop.valgrind.log"))
        annotate = cg_annotate_totals(os.path.join(out, "loop.cachegrind.out"))
        for event in EVENTS:
            self.assertEqual(metrics[event], log[event], event)
            self.assertEqual(metrics[event], annotate[event], event)
        self.assertEqual(metrics["instructions"], metrics["Ir"])
        self.assertEqual(metrics["estimated_cycles"], metrics["l1_hits"] + 5 * metrics["l2_hits"] + 35 * metrics["ram_hits"])

    def test_two_runs_give_identical_results(self):
        self.write_config(f'[[benchmark]]\nname = "plain.loop"\ncommand = ["{TESTPROG}", "loop", "5000"]\n'
                          f'[[suite]]\nbinary = "{TESTSUITE}"\n')
        first = self.run_cibench("--filter", "^(plain.loop|loop|empty)$")
        second = self.run_cibench("--filter", "^(plain.loop|loop|empty)$", out=os.path.join(self.dir, "out2"))
        self.assertExit(first, 0)
        self.assertEqual([b["metrics"] for b in first.json["benchmarks"]],
                         [b["metrics"] for b in second.json["benchmarks"]])

    def test_every_event_is_identical_across_checkout_paths_and_environments(self):
        """The same binary, copied to folders of different path lengths and run from callers with
        different environments, gives the same count for every event, cache misses included."""
        results = []
        for folder, extra_env in (("a", {}), ("a-much-longer-folder-name/nested/deeper", {"NOISE": "x" * 3000})):
            checkout = os.path.join(self.dir, folder)
            os.makedirs(os.path.join(checkout, "bin"))
            shutil.copy(TESTPROG, os.path.join(checkout, "bin", "testprog"))
            shutil.copy(TESTSUITE, os.path.join(checkout, "bin", "testsuite"))
            config = self.write_config('[[benchmark]]\nname = "plain.loop"\ncommand = ["bin/testprog", "loop", "20000"]\n'
                                       '[[suite]]\nbinary = "bin/testsuite"\n', directory=checkout)
            env = dict(os.environ, **extra_env)
            r = self.run_cibench("--filter", "^(plain.loop|loop|empty)$", config=config, out=os.path.join(checkout, "out"), env=env)
            self.assertExit(r, 0)
            results.append({b["name"]: b["metrics"] for b in r.json["benchmarks"]})
        self.assertEqual(results[0], results[1])
        self.assertGreater(results[0]["plain.loop"]["D1mr"], 0)

    def test_a_region_counts_only_the_body(self):
        self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\n'
                          f'[[benchmark]]\nname = "whole"\ncommand = ["{TESTSUITE}", "--run", "loop"]\n')
        r = self.run_cibench("--filter", "^(loop|empty|whole)$")
        self.assertExit(r, 0)
        empty = r.bench("empty")["metrics"]["instructions"]
        loop = r.bench("loop")["metrics"]["instructions"]
        whole = r.bench("whole")["metrics"]["instructions"]
        # An empty body measures close to nothing (the setup of 50 000 longs does not count).
        self.assertLess(abs(empty), 50)
        # 100 000 iterations of a loop of 9 instructions (a volatile read and write each), and
        # little else: the region's edges cost a handful of instructions.
        self.assertGreaterEqual(loop, 900_000)
        self.assertLess(loop, 900_000 + 50)
        # Measured whole, start-up and setup count too.
        self.assertGreater(whole, loop + 100_000)


if __name__ == "__main__":
    import unittest
    unittest.main()

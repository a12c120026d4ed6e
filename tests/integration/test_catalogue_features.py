"""Families, budgets, comparisons and wall-clock-only benchmarks, end to end."""
from cibench_test import CiBenchTest, TESTPROG, TESTSUITE


class CatalogueFeatures(CiBenchTest):
    def test_a_family_expands_to_named_members_that_scale(self):
        self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\n')
        r = self.run_cibench("--filter", "^scaled/")
        self.assertExit(r, 0)
        self.assertEqual([b["name"] for b in r.json["benchmarks"]], ["scaled/1", "scaled/4"])
        one = r.bench("scaled/1")["metrics"]["instructions"]
        four = r.bench("scaled/4")["metrics"]["instructions"]
        self.assertAlmostEqual(four / one, 4.0, delta=0.01)

    def test_a_budget_fails_without_a_baseline(self):
        self.write_config(f'[[benchmark]]\nname = "loop"\ncommand = ["{TESTPROG}", "loop", "100000"]\n'
                          'budget = { instructions = 500_000 }\n')
        r = self.run_cibench()
        self.assertExit(r, 1)
        b = r.bench("loop")
        self.assertEqual(b["status"], "fail")
        self.assertIsNone(b["baseline"])
        self.assertEqual(b["budget"], {"instructions": 500000})
        self.assertIn("over its budget of 500000", r.stdout)
        self.write_config(f'[[benchmark]]\nname = "loop"\ncommand = ["{TESTPROG}", "loop", "100000"]\n'
                          'budget = { instructions = 5_000_000 }\n')
        self.assertExit(self.run_cibench(), 0)

    def test_a_budget_on_one_suite_benchmark(self):
        self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\n'
                          '[suite.benchmark."scaled/4"]\nbudget = { instructions = 100_000 }\n')
        r = self.run_cibench("--filter", "^scaled/")
        self.assertExit(r, 1)
        self.assertEqual(r.bench("scaled/1")["status"], "new")
        self.assertEqual(r.bench("scaled/4")["status"], "fail")

    def test_an_override_for_an_unknown_suite_benchmark_is_an_error(self):
        self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\n[suite.benchmark."scaled/3"]\ntimeout = 5\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn('[suite.benchmark."scaled/3"] names no benchmark of', r.stderr)

    def test_comparisons_print_and_are_recorded(self):
        self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\n'
                          '[[compare]]\nname = "four times the work"\nbaseline = "scaled/1"\ncandidate = "scaled/4"\n')
        r = self.run_cibench("--filter", "^scaled/")
        self.assertExit(r, 0)
        [c] = r.json["comparisons"]
        self.assertEqual((c["name"], c["baseline"], c["candidate"]), ("four times the work", "scaled/1", "scaled/4"))
        self.assertAlmostEqual(c["ratio"]["instructions"], 4.0, delta=0.01)
        self.assertIn("four times the work: scaled/4 / scaled/1", r.stdout)
        self.assertRegex(r.stdout, r"Instructions (3\.99\d|4\.00\d)x")

    def test_a_comparison_naming_no_benchmark_is_an_error(self):
        self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\n'
                          '[[compare]]\nname = "typo"\nbaseline = "scaled/1"\ncandidate = "scaled/5"\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("[[compare]] 'typo' names 'scaled/5', which is not a benchmark", r.stderr)

    def test_wall_clock_only_benchmarks_are_listed_not_measured(self):
        self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\n[suite.benchmark."scaled/4"]\nwall_clock_only = true\n')
        r = self.run_cibench("--filter", "^scaled/")
        self.assertExit(r, 0)
        self.assertEqual([b["name"] for b in r.json["benchmarks"]], ["scaled/1"])
        self.assertEqual(r.json["skipped"], ["scaled/4"])
        self.assertIn("Not measured here (wall_clock_only in the config): scaled/4", r.stdout)


if __name__ == "__main__":
    import unittest
    unittest.main()

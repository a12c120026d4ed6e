"""tools/export.py: each format in the shape its documentation shows, from a real run."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXPORT = os.path.join(REPO, "tools", "export.py")
CIBENCH, TESTPROG = os.environ["CIBENCH"], os.environ["TESTPROG"]
# What a real run says each metric is, from the committed results.json of a real run (fixtures/make_run.py).
with open(os.path.join(REPO, "tests", "tools", "fixtures", "run", "results.json")) as f:
    METRIC_DEFINITIONS = json.load(f)["metric_definitions"]


class Export(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cibench-export-")
        config = os.path.join(cls.dir, "ci-bench.toml")
        run = lambda *a: subprocess.run([CIBENCH, "run", "--config", config, "--out", os.path.join(cls.dir, "out"), *a],
                                        capture_output=True, text=True)
        with open(config, "w") as f:
            f.write(f'[[benchmark]]\nname = "slower <&>"\ncommand = ["{TESTPROG}", "loop", "1000"]\n')
        run("--update-baselines")
        with open(config, "w") as f:
            f.write(f'[[benchmark]]\nname = "slower <&>"\ncommand = ["{TESTPROG}", "loop", "90000"]\n'
                    f'[[benchmark]]\nname = "crash"\ncommand = ["{TESTPROG}", "crash"]\n'
                    f'[[benchmark]]\nname = "fresh"\ncommand = ["{TESTPROG}", "loop", "10"]\n')
        run()
        cls.results = os.path.join(cls.dir, "out", "results.json")
        with open(cls.results) as f:
            cls.data = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def export(self, fmt):
        proc = subprocess.run([sys.executable, EXPORT, self.results, "--format", fmt], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def test_bencher_metric_format(self):
        # Documented shape: {"benchmark name": {"measure": {"value": 88.0, ...}}}
        bmf = json.loads(self.export("bmf"))
        self.assertEqual(set(bmf), {"slower <&>", "fresh"})  # an error has no numbers to report
        for measures in bmf.values():
            for measure in measures.values():
                self.assertIsInstance(measure["value"], (int, float))
        fresh = next(b for b in self.data["benchmarks"] if b["name"] == "fresh")
        self.assertEqual(bmf["fresh"]["instructions"]["value"], fresh["metrics"]["instructions"])
        # One naming for every measure: Bencher's slugs, never a metric's own name with '_'.
        measures = {m for ms in bmf.values() for m in ms}
        self.assertEqual([m for m in measures if "_" in m], [], measures)
        self.assertEqual(bmf["fresh"]["estimated-cycles"]["value"], fresh["metrics"]["estimated_cycles"])

    def test_github_action_benchmark_custom_smaller_is_better(self):
        # Documented shape: [{"name": str, "unit": str, "value": number, "range"?: str, "extra"?: str}]
        entries = json.loads(self.export("gab"))
        self.assertIsInstance(entries, list)
        for e in entries:
            self.assertLessEqual(set(e), {"name", "unit", "value", "range", "extra"})
            self.assertIsInstance(e["name"], str)
            self.assertIsInstance(e["value"], (int, float))
        names = [e["name"] for e in entries]
        self.assertIn("slower <&> (instructions)", names)
        self.assertIn("fresh (estimated_cycles)", names)

    def test_junit_one_case_per_benchmark_failures_and_errors(self):
        root = ET.fromstring(self.export("junit"))
        self.assertEqual(root.tag, "testsuites")
        suite = root.find("testsuite")
        self.assertEqual((suite.get("tests"), suite.get("failures"), suite.get("errors")), ("3", "1", "1"))
        cases = {c.get("name"): c for c in suite.findall("testcase")}
        self.assertEqual(set(cases), {"slower <&>", "crash", "fresh"})
        self.assertIn("instructions +", cases["slower <&>"].find("failure").get("message"))
        self.assertIn("signal 11", cases["crash"].find("error").get("message"))
        self.assertIsNone(cases["fresh"].find("failure"))

    def test_junit_never_shows_an_unfinished_run_or_an_unjudged_benchmark_as_passed(self):
        doc = {"schema": 1, "metric_definitions": METRIC_DEFINITIONS, "error": "stopped: the --out folder is not writable", "benchmarks": [
            {"name": "moved toolchain", "status": "incomparable", "metrics": {"instructions": 5}},
            {"name": "flaky", "status": "nondeterministic", "metrics": {"instructions": 5}, "change_pct": {"instructions": None}}]}
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump(doc, f)
            f.flush()
            proc = subprocess.run([sys.executable, EXPORT, f.name, "--format", "junit"], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        suite = ET.fromstring(proc.stdout).find("testsuite")
        self.assertEqual((suite.get("tests"), suite.get("errors"), suite.get("skipped")), ("3", "1", "2"))
        cases = {c.get("name"): c for c in suite.findall("testcase")}
        self.assertIn("not writable", cases["ci-bench run"].find("error").get("message"))
        self.assertIn("not comparable", cases["moved toolchain"].find("skipped").get("message"))
        self.assertIsNotNone(cases["flaky"].find("skipped"))

    def test_bad_input_is_an_error(self):
        proc = subprocess.run([sys.executable, EXPORT, "/nonexistent.json", "--format", "bmf"], capture_output=True, text=True)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("/nonexistent.json", proc.stderr)


if __name__ == "__main__":
    unittest.main()

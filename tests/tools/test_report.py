"""tools/report.py on real results from the driver, on a hostile name, and on thousands of benchmarks."""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REPORT = os.path.join(REPO, "tools", "report.py")
CIBENCH, TESTPROG, TESTSUITE = os.environ["CIBENCH"], os.environ["TESTPROG"], os.environ["TESTSUITE"]
HOSTILE = "evil | <img src=x onerror=alert(1)> `tick` *bold*"


def render(path, *args):
    proc = subprocess.run([sys.executable, REPORT, path, *args], capture_output=True, text=True)
    return proc


class RealResults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cibench-report-")
        config = os.path.join(cls.dir, "ci-bench.toml")

        def write(hot_extra, loop):
            with open(config, "w") as f:
                f.write(f'[[suite]]\nbinary = "{TESTSUITE}"\ntool = "callgrind"\n'
                        f'env = {{ TESTSUITE_HOT_EXTRA = "{hot_extra}" }}\n'
                        f'[[benchmark]]\nname = "{HOSTILE}"\ncommand = ["{TESTPROG}", "loop", "{loop}"]\n')
        run = lambda *a: subprocess.run([CIBENCH, "run", "--config", config, "--out", os.path.join(cls.dir, "out"), *a],
                                        capture_output=True, text=True)
        write(0, 1000)
        run("--update-baselines", "--filter", "two_functions|loop|evil")
        write(20000, 1000)
        with open(config, "a") as f:
            f.write(f'[[benchmark]]\nname = "{HOSTILE} crash"\ncommand = ["{TESTPROG}", "crash"]\n')
        run("--filter", "two_functions|^loop$|evil|^empty$")
        cls.results = os.path.join(cls.dir, "out", "results.json")
        cls.proc = render(cls.results)
        cls.text = cls.proc.stdout

    def test_first_line_reads_at_a_glance(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        lines = self.text.splitlines()
        self.assertEqual(lines[0], "<!-- ci-bench-report -->")
        self.assertTrue(lines[1].startswith("🔴 **ci-bench: errors**"), lines[1])
        self.assertIn("1 failed", lines[1])
        self.assertIn("1 errors", lines[1])
        self.assertIn("1 new", lines[1])

    def test_table_is_sorted_by_severity_and_names_the_regression(self):
        rows = [l for l in self.text.splitlines() if l.startswith("| ") and "---" not in l]
        statuses = [r.rsplit("|", 2)[-2].strip() for r in rows[1:] if "🔴" in r or "🔵" in r or "🟡" in r]
        self.assertTrue(statuses[0].endswith("error"), statuses)
        self.assertTrue(statuses[1].endswith("fail"), statuses)
        self.assertIn("hot\\_work", self.text)  # the function behind the regression
        self.assertIn("build/bin/ci-bench run --filter '^two_functions$'", self.text)
        self.assertIn("<details><summary>", self.text)  # the unchanged ones, folded

    def test_a_hostile_name_cannot_break_the_table_or_inject_markup(self):
        # Outside the fenced reproduce command (where GitHub shows text as it is), no raw markup.
        prose = self.text.split("```sh")[0]
        self.assertNotIn("<img", prose)
        self.assertNotIn("`tick`", prose)
        fence = self.text.split("```sh")[1]
        self.assertEqual(fence.count("```"), 1, "a name must not close the code fence")
        rows = [l for l in self.text.splitlines() if "evil" in l and l.startswith("| ")]
        self.assertEqual(len(rows), 2, rows)  # the crash in the change table, the unchanged one folded
        separators = sorted(len(re.findall(r"(?<!\\)\|", row)) for row in rows)
        self.assertEqual(separators, [3, 7], rows)  # 2 and 6 cells: no separator from the name
        for row in rows:
            self.assertIn("&lt;img", row)

    def test_html_escapes_too(self):
        page = render(self.results, "--format", "html").stdout
        self.assertIn("&lt;img src=x", page)
        self.assertNotIn("<img", page)


class Synthetic(unittest.TestCase):
    def write(self, results):
        f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump(results, f)
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_thousands_of_benchmarks_fit_githubs_limit_and_say_what_was_cut(self):
        benchmarks = []
        for i in range(6000):
            status = ["fail", "warn", "pass", "pass", "new", "improved"][i % 6]
            benchmarks.append({"name": f"family.{i}/" + "x" * 40, "status": status,
                               "metrics": {"instructions": 1000 + i}, "baseline": {"instructions": 900},
                               "change_pct": {"instructions": 11.1}, "metric_status": {"instructions": status} if status != "pass" else {},
                               "function_changes": [{"function": f"f{j}", "before": 1, "after": 2, "change": 1} for j in range(5)]})
        results = {"schema": 1, "counts": {"fail": 1000, "warn": 1000, "pass": 2000, "new": 1000, "improved": 1000, "error": 0},
                   "benchmarks": benchmarks}
        text = render(self.write(results)).stdout
        self.assertLessEqual(len(text), 65536, "over GitHub's limit")
        self.assertIn("Cut to fit GitHub's comment limit", text)
        self.assertIn("2000 unchanged benchmarks", text)
        self.assertIn("| family\\.0/", text)  # the most severe rows survive (names are escaped)
        self.assertIn("make ci-bench", text)

    def test_a_different_fingerprint_is_a_plain_warning(self):
        results = {"schema": 1, "counts": {"pass": 1}, "benchmarks": [{"name": "a", "status": "pass", "metrics": {"instructions": 1},
                   "fingerprint_differences": ["valgrind: valgrind-3.18.1 (baseline) vs valgrind-3.19.0 (now)"]}]}
        text = render(self.write(results)).stdout
        self.assertIn("> [!WARNING]", text)
        self.assertIn(r"valgrind: valgrind\-3\.18\.1 \(baseline\) vs valgrind\-3\.19\.0 \(now\)", text)
        self.assertTrue(text.splitlines()[1].startswith("🟢"))

    def test_bad_input_is_an_error_naming_the_file(self):
        proc = render("/nonexistent/results.json")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("/nonexistent/results.json", proc.stderr)
        proc = render(self.write({"schema": 1, "no": "benchmarks"}))
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("benchmarks: missing", proc.stderr)


if __name__ == "__main__":
    unittest.main()

"""Every renderer of a run, on a committed results.json and without Valgrind: tools/report.py's PR
comment (Markdown) and page (HTML), and the driver's terminal summary (`ci-bench merge` of the one
shard that fixtures/run/results.json is) must print exactly the snapshots committed beside it. Any
change of rendering fails here (the diff's - lines are the snapshot's, + what is printed now). When the change is meant, refresh the snapshots and read their diff:

    UPDATE_SNAPSHOTS=1 ctest --test-dir build -R tools.test_render_snapshots

fixtures/make_run.py makes the results.json itself from a real run (when its schema changes)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

try:
    import jsonschema
except ImportError:  # a python3 other than Debian's first on PATH: use Debian's python3-jsonschema
    sys.path.append("/usr/lib/python3/dist-packages")
    import jsonschema

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REPORT = os.path.join(REPO, "tools", "report.py")
SCHEMA = os.path.join(REPO, "harness", "schema", "results.schema.json")
RUN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "run")
RESULTS = os.path.join(RUN, "results.json")
CIBENCH = os.environ["CIBENCH"]
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
# What the PR comment links to, fixed here as the workflow passes them (no GITHUB_* from this shell).
LINKS = ["--head-sha", "0123456789abcdef0123456789abcdef01234567", "--base-sha", "89abcdef0123456789abcdef0123456789abcdef",
         "--run-url", "https://github.com/example/project/actions/runs/42",
         "--artifact-url", "https://github.com/example/project/actions/runs/42/artifacts/7"]
NO_GITHUB = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}


class RenderSnapshots(unittest.TestCase):
    maxDiff = None

    def assertSnapshot(self, name, text):
        path = os.path.join(RUN, name)
        if UPDATE:
            with open(path + ".tmp", "w", encoding="utf-8", newline="") as f:  # then renamed: never half a snapshot
                f.write(text)
            os.replace(path + ".tmp", path)
        with open(path, encoding="utf-8", newline="") as f:
            self.assertEqual(f.read(), text, f"{name} changed; if that is meant: UPDATE_SNAPSHOTS=1 (see this file's top)")

    def report(self, *args):
        proc = subprocess.run([sys.executable, REPORT, RESULTS, *LINKS, *args], capture_output=True, text=True, env=NO_GITHUB)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def test_the_fixture_is_a_results_file_of_todays_schema(self):
        with open(SCHEMA) as f:
            schema = json.load(f)
        with open(RESULTS) as f:
            jsonschema.validate(json.load(f), schema)

    def test_markdown_comment(self):
        self.assertSnapshot("report.md", self.report())

    def test_html_page(self):
        self.assertSnapshot("report.html", self.report("--format", "html"))

    def test_terminal_summary(self):
        out = tempfile.mkdtemp(prefix="cibench-snapshot-")
        try:
            proc = subprocess.run([CIBENCH, "merge", RESULTS, "--out", out], capture_output=True, text=True,
                                  env={**NO_GITHUB, "NO_COLOR": "1"})
        finally:
            shutil.rmtree(out, ignore_errors=True)
        self.assertEqual(proc.returncode, 2, proc.stderr)  # the run has an error (a crash): exit 2, as the run did
        self.assertSnapshot("summary.txt", proc.stdout.replace(out, "OUT") + proc.stderr.replace(out, "OUT"))


if __name__ == "__main__":
    unittest.main()

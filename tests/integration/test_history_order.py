"""History points in the order they were recorded, whatever time a commit or a file claims; shas and
times checked before anything is written; a point of one branch never replaced by another's."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from cibench_test import CIBENCH

ENV = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
YEAR_2099 = 4_070_908_800
NOW = 1_760_000_000


def cibench(*args, env=None, cwd=None):
    return subprocess.run([CIBENCH, *args], capture_output=True, text=True, env=env or ENV, cwd=cwd, timeout=120)


class HistoryOrder(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cibench-history-order-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.history = os.path.join(self.dir, "h.sqlite")

    def results(self, name, sha, time, instructions, status="pass", branch="main", parent=""):
        path = os.path.join(self.dir, name)
        commit = {"sha": sha, "parent": parent, "branch": branch, "time": time}
        with open(path, "w") as f:
            json.dump({"schema": 1, "tool": "ci-bench", "exit_code": 0, "commit": commit,
                       "benchmarks": [{"name": "x", "status": status, "metrics": {"instructions": instructions}}]}, f)
        return path

    def imported(self, *files, env=None, cwd=None):
        p = cibench("history", "import", "--history", self.history, *files, env=env, cwd=cwd)
        self.assertEqual(p.returncode, 0, p.stderr)

    def refused(self, *files, env=None, cwd=None):
        p = cibench("history", "import", "--history", self.history, *files, env=env, cwd=cwd)
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertFalse(os.path.exists(self.history), "a refused import wrote the history")
        return p.stderr

    def show(self, *args):
        p = cibench("history", "show", "--json", "--history", self.history, *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def test_points_follow_recording_order_not_the_time_a_commit_claims(self):
        # Two commits dated 2099, then a failing run 56 times the count, dated today.
        self.imported(self.results("a.json", "a" * 40, YEAR_2099, 1000),
                      self.results("b.json", "b" * 40, YEAR_2099 + 60, 1000))
        self.imported(self.results("c.json", "c" * 40, NOW, 56_000, status="fail"))
        shown = self.show()
        self.assertEqual([r["commit"] for r in shown["runs"]], ["a" * 40, "b" * 40, "c" * 40])
        self.assertEqual([r["time"] for r in shown["runs"]], [YEAR_2099, YEAR_2099 + 60, NOW])  # kept, shown
        trend = shown["benchmarks"][0]["trend"]
        self.assertEqual((trend["arrow"], trend["word"]), ("↓", "declining"))
        self.assertAlmostEqual(trend["change_pct"], 5500)
        table = cibench("history", "show", "--history", self.history).stdout
        self.assertIn("↓ declining +5500.00 % over 3 points", table)
        board = os.path.join(self.dir, "board")
        p = cibench("history", "board", "--history", self.history, "--out", board)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(board, "index.html")) as f:
            page = f.read()
        self.assertIn('class="tile red"', page)
        self.assertNotIn('class="tile green"', page)

    def test_recording_a_commit_again_keeps_its_place(self):
        self.imported(self.results("a.json", "a" * 40, NOW, 1000), self.results("b.json", "b" * 40, NOW + 60, 2000))
        self.imported(self.results("a2.json", "a" * 40, NOW, 1100))
        shown = self.show()
        self.assertEqual([r["commit"] for r in shown["runs"]], ["a" * 40, "b" * 40])
        self.assertEqual(shown["benchmarks"][0]["metrics"]["instructions"], [1100, 2000])

    def test_an_import_never_replaces_a_point_of_another_branch(self):
        self.imported(self.results("main.json", "a" * 40, NOW, 1000))
        self.imported(self.results("claim.json", "a" * 40, NOW, 9, branch="feature"))
        self.assertEqual(self.show()["benchmarks"][0]["metrics"]["instructions"], [1000])
        everything = self.show("--all-branches")
        self.assertEqual([(r["commit"], r["branch"]) for r in everything["runs"]], [("a" * 40, "main"), ("a" * 40, "feature")])
        self.assertEqual(everything["benchmarks"][0]["metrics"]["instructions"], [1000, 9])

    def test_shas_must_be_hex_of_the_length_of_sha1_or_sha256(self):
        for sha in ["xyz", "abc1234", "g" * 40, "a" * 39, "a" * 41, "a" * 63, "A" * 40, " " + "a" * 39, "a" * 40 + "\n"]:
            with self.subTest(sha=sha):
                bad = self.results("bad.json", sha, NOW, 1)
                stderr = self.refused(bad)
                self.assertIn(f"{bad}: not a ci-bench results.json: \"commit\": \"sha\" ", stderr)
                self.assertIn("40 (SHA-1) or 64 (SHA-256) lowercase hex digits", stderr)
        bad_parent = self.results("parent.json", "a" * 40, NOW, 1, parent="HEAD~1")
        self.assertIn("\"parent\"", self.refused(bad_parent))
        self.imported(self.results("sha1.json", "a" * 40, NOW, 1), self.results("sha256.json", "b" * 64, NOW, 2,
                                                                                  parent="a" * 64))
        self.assertEqual([r["commit"] for r in self.show()["runs"]], ["a" * 40, "b" * 64])

    def test_a_sha_from_the_environment_is_checked_too(self):
        no_commit = os.path.join(self.dir, "plain.json")
        with open(no_commit, "w") as f:
            json.dump({"schema": 1, "tool": "ci-bench", "exit_code": 0,
                       "benchmarks": [{"name": "x", "status": "pass", "metrics": {"instructions": 1}}]}, f)
        stderr = self.refused(no_commit, env=dict(ENV, GITHUB_SHA="not-a-sha"), cwd=self.dir)
        self.assertIn("GITHUB_SHA", stderr)
        self.assertIn("40 (SHA-1) or 64 (SHA-256) lowercase hex digits", stderr)

    def test_absurd_times_are_refused_saying_what_is_accepted(self):
        for time in [2 ** 62, -(2 ** 62), -1, 253_402_300_800]:
            with self.subTest(time=time):
                bad = self.results("bad.json", "a" * 40, time, 1)
                stderr = self.refused(bad)
                self.assertIn(f"{bad}: not a ci-bench results.json: \"commit\": \"time\" {time} is not a time", stderr)
                self.assertIn("0 to 253402300799 (1970-01-01 to 9999-12-31 UTC)", stderr)
        self.imported(self.results("last.json", "a" * 40, 253_402_300_799, 1))
        self.assertIn("9999-12-31 23:59", cibench("history", "show", "--history", self.history).stdout)

    def test_a_rise_from_zero_is_declining_not_stable(self):
        self.imported(self.results("zero.json", "a" * 40, NOW, 0), self.results("rise.json", "b" * 40, NOW + 60, 605))
        trend = self.show()["benchmarks"][0]["trend"]
        self.assertEqual((trend["arrow"], trend["word"], trend["change_pct"]), ("↓", "declining", None))
        self.assertIn("↓ declining from 0 over 2 points", cibench("history", "show", "--history", self.history).stdout)


if __name__ == "__main__":
    unittest.main()

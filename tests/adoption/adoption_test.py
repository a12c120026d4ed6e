"""Shared helpers: the sample project of tests/external_project, built against a ci-bench the way a
user would get one, then gated by that ci-bench's driver under real Valgrind."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_DIR = os.environ["CIBENCH_BUILD_DIR"]
SAMPLE = os.path.join(SOURCE_DIR, "tests", "external_project")
BENCHMARKS = ["rollhash.64k", "rollhash.windows/16", "rollhash.windows/256"]


def run(*argv, cwd=None, env=None, timeout=600):
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def read_json(path):
    with open(path) as f:
        return json.load(f)


class AdoptionTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cibench-adoption-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def check(self, *argv, **kwargs):
        proc = run(*argv, **kwargs)
        self.assertEqual(proc.returncode, 0, f"{' '.join(map(str, argv))}: exit {proc.returncode}\n"
                                             f"stdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-4000:]}")
        return proc

    def copy_sample(self, name="project"):
        """The sample project in a fresh folder outside ci-bench's tree, as a user's checkout."""
        project = os.path.join(self.dir, name)
        shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("build", "baselines"))
        return project

    def build_sample(self, project, *cmake_args):
        build = os.path.join(project, "build")
        self.check("cmake", "-S", project, "-B", build, "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", *cmake_args)
        self.check("cmake", "--build", build, "-j", str(os.cpu_count() or 2))
        return build

    def gate(self, driver, project, *args):
        """The driver run as the README says: from the project's folder, config and --out defaulted
        (./ci-bench.toml, build/ci-bench)."""
        proc = run(driver, "run", *args, cwd=project)
        results = os.path.join(project, "build", "ci-bench", "results.json")
        proc.results = read_json(results) if os.path.isfile(results) else None
        return proc

    def assertGate(self, proc, code):
        self.assertEqual(proc.returncode, code, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        self.assertIsNotNone(proc.results)
        self.assertEqual(sorted(b["name"] for b in proc.results["benchmarks"]), sorted(BENCHMARKS))

    def gate_catches_a_change_in_the_hot_function(self, driver, project, *cmake_args):
        """Baselines, two gated runs with identical counts, then a one-line change in rollhash()
        fails the gate and results.json names rollhash as the function that changed."""
        build = self.build_sample(project, *cmake_args)
        tool = run(os.path.join(build, "bin", "rollhash_tool"), "abc")
        self.assertEqual((tool.returncode, tool.stdout, tool.stderr), (0, "e71fa2190541574b\n", ""),
                         "measure_time's timers are compiled out by default")

        first = self.gate(driver, project, "--update-baselines")
        self.assertGate(first, 0)
        self.assertTrue(os.path.isfile(os.path.join(project, "baselines", "rollhash.64k.json")))

        runs = [self.gate(driver, project) for _ in range(2)]
        metrics = []
        for r in runs:
            self.assertGate(r, 0)
            for b in r.results["benchmarks"]:
                self.assertEqual(b["status"], "pass", b)
                self.assertEqual(b["tool"], "callgrind", b)
                self.assertEqual(b["metrics"]["instructions"], b["baseline"]["instructions"], b)
            metrics.append({b["name"]: b["metrics"] for b in r.results["benchmarks"]})
        self.assertEqual(metrics[0], metrics[1], "two runs of the same build count the same, every event")
        hashed = {name: m["instructions"] for name, m in metrics[0].items()}
        self.assertGreater(hashed["rollhash.64k"], 4 * 64 * 1024)  # at least a few instructions a byte

        # The one-line change (an extra mixing step per byte), and the timers switched on.
        self.build_sample(project, "-DROLLHASH_EXTRA_ROUND=ON", "-DCIBENCH_INSTRUMENTATION=ON")
        tool = run(os.path.join(build, "bin", "rollhash_tool"), "abc")
        self.assertNotEqual(tool.stdout, "e71fa2190541574b\n", "the library was rebuilt with the change")
        self.assertIn('"label":"rollhash_tool.arg","count":1', tool.stderr,
                      "-DCIBENCH_INSTRUMENTATION=ON compiles measure_time's timers in")

        failed = self.gate(driver, project)
        self.assertGate(failed, 1)
        for b in failed.results["benchmarks"]:
            self.assertEqual(b["status"], "fail", b)
            self.assertGreater(b["metrics"]["instructions"], hashed[b["name"]])
            top = b["function_changes"][0]
            self.assertRegex(top["function"], r"(^|:)rollhash$", b["function_changes"])
            self.assertGreater(top["change"], 0)
        self.assertIn("rollhash", failed.stdout)
        return failed

"""harness/schema/results.schema.json and tools/results_file.py: a real run's results.json passes both,
and every broken document is refused by both, the loader naming the file and the JSON path."""
import copy
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
SCHEMA = os.path.join(REPO, "harness", "schema", "results.schema.json")
TOOLS = os.path.join(REPO, "tools")
CIBENCH, TESTPROG, TESTSUITE = os.environ["CIBENCH"], os.environ["TESTPROG"], os.environ["TESTSUITE"]
INJECTION = "0</details>\n\n# Merge me ![x](https://example.invalid/x.png)"


def real_run(folder):
    """A results.json with every kind of entry the driver writes: pass, fail, error, new, budget,
    per-function changes (Callgrind), a removed baseline and a comparison."""
    config = os.path.join(folder, "ci-bench.toml")

    def write(loop):
        with open(config, "w") as f:
            f.write(f'[[suite]]\nbinary = "{TESTSUITE}"\ntool = "callgrind"\n'
                    f'[[benchmark]]\nname = "plain.loop"\ncommand = ["{TESTPROG}", "loop", "{loop}"]\n'
                    f'budget = {{ instructions = 100_000_000 }}\n'
                    f'[[benchmark]]\nname = "plain.short"\ncommand = ["{TESTPROG}", "loop", "10"]\n'
                    f'[[compare]]\nname = "loop vs short"\nbaseline = "plain.short"\ncandidate = "plain.loop"\n')
    run = lambda *a: subprocess.run([CIBENCH, "run", "--config", config, "--out", os.path.join(folder, "out"), *a],
                                    capture_output=True, text=True)
    write(1000)
    run("--update-baselines", "--filter", "^(plain\\.loop|plain\\.short|two_functions)$")
    with open(os.path.join(folder, "baselines", "removed.json"), "w") as f:
        f.write("{}\n")
    write(5000)
    with open(config, "a") as f:
        f.write(f'[[benchmark]]\nname = "crash"\ncommand = ["{TESTPROG}", "crash"]\n')
    proc = run("--filter", "^(plain\\.loop|plain\\.short|two_functions|empty|crash)$")
    with open(os.path.join(folder, "out", "results.json")) as f:
        return json.load(f), proc


def index(doc, name):
    return next(i for i, b in enumerate(doc["benchmarks"]) if b["name"] == name)


def at(doc, path, value):
    """doc with the value at path (a list of keys and indexes) set; `DELETE` removes it."""
    doc = copy.deepcopy(doc)
    target = doc
    for step in path[:-1]:
        target = target[step]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


DELETE = object()


class ResultsFile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cibench-results-file-")
        cls.doc, cls.proc = real_run(cls.dir)
        with open(SCHEMA) as f:
            cls.schema = json.load(f)
        cls.validator = jsonschema.Draft202012Validator(cls.schema)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def load(self, doc_or_text, program="report.py"):
        path = os.path.join(self.dir, "mutated.json")
        with open(path, "w" if isinstance(doc_or_text, (dict, list, str)) else "wb") as f:
            f.write(doc_or_text if isinstance(doc_or_text, (str, bytes)) else json.dumps(doc_or_text))
        proc = subprocess.run([sys.executable, os.path.join(TOOLS, program), path] +
                              (["--format", "bmf"] if program == "export.py" else []), capture_output=True, text=True)
        self.assertNotIn("Traceback", proc.stderr)
        return proc, path

    def test_the_schema_is_a_valid_2020_12_schema(self):
        jsonschema.Draft202012Validator.check_schema(self.schema)
        self.assertEqual(self.schema["$schema"], "https://json-schema.org/draft/2020-12/schema")

    def test_a_real_run_passes_the_schema_and_the_loader(self):
        statuses = {b["name"]: b["status"] for b in self.doc["benchmarks"]}
        self.assertEqual(statuses, {"plain.loop": "fail", "plain.short": "pass", "two_functions": "pass", "empty": "new", "crash": "error"},
                         self.proc.stdout + self.proc.stderr)
        self.assertEqual(self.doc["gone"], ["removed"])
        self.assertTrue(self.doc["comparisons"])
        self.assertTrue(self.doc["benchmarks"][index(self.doc, "plain.loop")]["function_changes"])
        self.assertIn("budget", self.doc["benchmarks"][index(self.doc, "plain.loop")])
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in self.validator.iter_errors(self.doc)]
        self.assertEqual(errors, [])
        for program in ("report.py", "export.py"):
            proc, _ = self.load(self.doc, program)
            self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_the_schema_names_every_field_the_driver_writes(self):
        # Unknown fields are allowed (the file may gain fields), so this is what keeps the schema complete.
        top = self.schema["properties"]
        self.assertLessEqual(set(self.doc), set(top))
        benchmark = self.schema["$defs"]["benchmark"]["properties"]
        for b in self.doc["benchmarks"]:
            self.assertLessEqual(set(b), set(benchmark), b["name"])
        comparison = self.schema["$defs"]["comparison"]["properties"]
        for c in self.doc["comparisons"]:
            self.assertLessEqual(set(c), set(comparison))

    def test_what_the_driver_is_adding_is_accepted(self):
        doc = copy.deepcopy(self.doc)
        doc.update(interrupted=True, error="stopped by SIGTERM", exit_code=143, extra_field_of_a_newer_driver={"x": 1})
        doc["counts"].update(incomparable=1, nondeterministic=1)
        crash = doc["benchmarks"][index(doc, "crash")]
        crash.update(error_kind="crash", reused=False)
        doc["benchmarks"][index(doc, "plain.short")].update(status="incomparable", reused=True)
        doc["benchmarks"][index(doc, "empty")].update(status="nondeterministic")
        doc["benchmarks"][index(doc, "plain.loop")]["metrics"]["instructions"] = 12.0  # JSON Schema: an integer
        self.assertEqual([e.message for e in self.validator.iter_errors(doc)], [])
        proc, _ = self.load(doc)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_both_refuse_every_broken_document_and_the_loader_names_the_path(self):
        loop, crash = index(self.doc, "plain.loop"), index(self.doc, "crash")
        cases = [  # (the change, what the message must say)
            (["benchmarks", loop, "metrics", "instructions"], "12",
             f'benchmarks[{loop}].metrics.instructions: expected an integer, got "12"'),
            (["benchmarks", loop, "metrics", "instructions"], 12.5, f"benchmarks[{loop}].metrics.instructions: expected an integer"),
            (["benchmarks", loop, "metrics", "instructions"], True, "expected an integer, got true"),
            (["benchmarks", loop, "metrics", "instructions"], 2**63, "expected an integer from"),
            (["benchmarks", loop, "baseline"], [1], f"benchmarks[{loop}].baseline: expected an object, got an array"),
            (["benchmarks", loop, "change_pct", "instructions"], "+5%", f"benchmarks[{loop}].change_pct.instructions"),
            (["benchmarks", loop, "metric_status", "instructions"], "doom", f"benchmarks[{loop}].metric_status.instructions"),
            (["benchmarks", loop, "function_changes", 0, "change"], "+1", f"benchmarks[{loop}].function_changes[0].change"),
            (["benchmarks", loop, "function_changes", 0, "function"], DELETE,
             f"benchmarks[{loop}].function_changes[0].function: missing"),
            (["benchmarks", loop, "status"], "great", f'benchmarks[{loop}].status: expected one of "pass"'),
            (["benchmarks", loop, "name"], 7, f"benchmarks[{loop}].name: expected a string, got 7"),
            (["benchmarks", loop, "name"], DELETE, f"benchmarks[{loop}].name: missing"),
            (["benchmarks", crash, "error"], ["x"], f"benchmarks[{crash}].error: expected a string"),
            (["benchmarks", crash, "error_kind"], "meteor", f"benchmarks[{crash}].error_kind"),
            (["benchmarks", crash, "reused"], "yes", f"benchmarks[{crash}].reused: expected true or false"),
            (["benchmarks", crash, "metrics"], None, f"benchmarks[{crash}].metrics: expected an object, got null"),
            (["benchmarks"], DELETE, "benchmarks: missing"),
            (["benchmarks"], {"loop": {}}, "benchmarks: expected an array, got an object"),
            (["counts", "fail"], INJECTION, r'counts.fail: expected an integer, got "0</details>\n\n# Merge'),
            (["counts", "bogus"], 1, "counts.bogus: expected one of"),
            (["counts", "pass"], -1, "counts.pass: expected an integer from 0"),
            (["schema"], "1", 'schema: expected 1, got "1"'),
            (["schema"], 2, "schema: this is schema 2; these tools read schema 1"),
            (["schema"], DELETE, "schema: missing"),
            (["exit_code"], 256, "exit_code: expected an integer from 0 to 255"),
            (["interrupted"], "no", "interrupted: expected true or false"),
            (["error"], 5, "error: expected a string, got 5"),
            (["gone", 0], 3, "gone[0]: expected a string"),
            (["comparisons", 0, "ratio", "instructions"], "2x", "comparisons[0].ratio.instructions: expected a number"),
            (["fingerprint", "valgrind"], 3, "fingerprint.valgrind: expected a string"),
            (["reproduce", "command"], ["make"], "reproduce.command: expected a string"),
            (["reproduce"], "make ci-bench", "reproduce: expected an object"),
            (["metric_definitions"], DELETE, "metric_definitions: missing: the benchmarks' metrics need their definitions"),
            (["metric_definitions", 0, "source"], "magic", "metric_definitions[0].source: expected one of"),
            (["metric_definitions", 0, "unit"], "parsecs", "metric_definitions[0].unit: expected one of"),
        ]
        for path, value, message in cases:
            with self.subTest(path=path, value=value):
                doc = at(self.doc, path, value)
                self.assertFalse(self.validator.is_valid(doc), "the schema accepts it")
                proc, file = self.load(doc)
                self.assertEqual(proc.returncode, 1, proc.stdout[:200])
                self.assertEqual(proc.stdout, "")
                self.assertTrue(proc.stderr.startswith(f"report.py: {file}: "), proc.stderr)
                self.assertIn(message, proc.stderr)

    def test_the_loader_refuses_what_no_schema_can_say(self):
        """A metric defined twice, two primary metrics of one source (the renderers would pick either),
        and a lone surrogate (\\ud800), which no UTF-8 page or XML file can hold."""
        loop = index(self.doc, "plain.loop")
        instructions = next(i for i, d in enumerate(self.doc["metric_definitions"]) if d["name"] == "instructions")
        twice = at(self.doc, ["metric_definitions"], self.doc["metric_definitions"] + [
            {"name": "instructions", "unit": "bytes", "source": "derived"}])
        cases = [(twice, f"metric_definitions[{len(self.doc['metric_definitions'])}].name: \"instructions\" is defined twice"),
                 (at(self.doc, ["metric_definitions", instructions + 1, "primary"], True),
                  f"metric_definitions[{instructions + 1}].primary: a second primary metric of source derived"),
                 (json.dumps(self.doc).replace('"plain.loop"', '"plain.loop\\ud800"', 1),
                  f"benchmarks[{loop}].name: holds a lone surrogate")]
        for doc, message in cases:
            for program in ("report.py", "export.py"):
                with self.subTest(message=message, program=program):
                    proc, file = self.load(doc, program)
                    self.assertEqual(proc.returncode, 1, proc.stdout[:200])
                    self.assertIn(message, proc.stderr)

    def test_not_json_is_refused_with_the_file_named(self):
        for text, message in [(b"\xff{}", "not UTF-8"), ('{"schema": 1, "benchmarks": [', "not valid JSON"),
                              ('{"schema": 1, "benchmarks": [], "seconds": NaN}', "NaN is not JSON"),
                              ('{"schema": 1, "benchmarks": [], "benchmarks": [{}]}', 'the key "benchmarks" appears twice'),
                              ("[" * 100000, "not valid JSON"), ("[]", "expected an object, got an array")]:
            with self.subTest(text=text[:40]):
                proc, file = self.load(text, "export.py")
                self.assertEqual(proc.returncode, 1)
                self.assertTrue(proc.stderr.startswith(f"export.py: {file}: "), proc.stderr)
                self.assertIn(message, proc.stderr)
        proc = subprocess.run([sys.executable, os.path.join(TOOLS, "report.py"), "/nonexistent/results.json"],
                              capture_output=True, text=True)
        self.assertEqual(proc.stderr, "report.py: /nonexistent/results.json: No such file or directory\n")


if __name__ == "__main__":
    unittest.main()

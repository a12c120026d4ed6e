"""Shared helpers: run the built ci-bench as a subprocess on a config written into a temp folder."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

try:
    import jsonschema
except ImportError:  # a python3 other than Debian's first on PATH: use Debian's python3-jsonschema
    import sys
    sys.path.append("/usr/lib/python3/dist-packages")
    import jsonschema

CIBENCH = os.environ["CIBENCH"]
TESTPROG = os.environ["TESTPROG"]
TESTSUITE = os.environ["TESTSUITE"]
HEAPPROG = os.environ["HEAPPROG"]


def read_json(path):
    with open(path) as f:
        return json.load(f)


def strict(schema):
    """The schema with every object closed to properties it does not declare: a field the writer
    adds without declaring it in the schema fails, so the two cannot drift apart."""
    if isinstance(schema, dict):
        schema = {k: strict(v) for k, v in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
    elif isinstance(schema, list):
        schema = [strict(v) for v in schema]
    return schema


RESULTS_SCHEMA = strict(read_json(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "harness",
                                               "schema", "results.schema.json")))


class Result:
    def __init__(self, proc, out_dir):
        self.code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        path = os.path.join(out_dir, "results.json")
        self.json = read_json(path) if os.path.isfile(path) else None
        if self.json is not None:  # every results.json a test makes is held to the schema, closed
            jsonschema.validate(self.json, RESULTS_SCHEMA)

    def bench(self, name):
        for b in self.json["benchmarks"]:
            if b["name"] == name:
                return b
        raise AssertionError(f"no benchmark {name!r} in results.json")


class CiBenchTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cibench-it-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def write_config(self, text, directory=None):
        path = os.path.join(directory or self.dir, "ci-bench.toml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def write_script(self, name, body):
        """An executable `#!/bin/sh` script in the test's folder; returns its path."""
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body)
        os.chmod(path, 0o755)
        return path

    def run_cibench(self, *args, config=None, out=None, env=None):
        out = out or os.path.join(self.dir, "out")
        config = config or os.path.join(self.dir, "ci-bench.toml")
        proc = subprocess.run([CIBENCH, "run", "--config", config, "--out", out, *args],
                              capture_output=True, text=True, env=env, timeout=300)
        return Result(proc, out)

    def assertExit(self, result, code):
        self.assertEqual(result.code, code, f"exit {result.code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")


def valgrind_log_summary(path):
    """Valgrind's own totals from its log: the oracle for the parser."""
    with open(path) as f:
        text = f.read()

    def numbers(label):
        line = re.search(re.escape(label) + r"(.*)", text).group(1)
        return [int(n.replace(",", "")) for n in re.findall(r"[0-9][0-9,]*(?![0-9,]*%)", line) if "." not in n]

    d_refs, d1, lld = numbers("D   refs:"), numbers("D1  misses:"), numbers("LLd misses:")
    return {"Ir": numbers("I   refs:")[0], "I1mr": numbers("I1  misses:")[0], "ILmr": numbers("LLi misses:")[0],
            "Dr": d_refs[1], "Dw": d_refs[2], "D1mr": d1[1], "D1mw": d1[2], "DLmr": lld[1], "DLmw": lld[2]}


def cg_annotate_totals(path):
    """cg_annotate's PROGRAM TOTALS line for a cachegrind.out file, by event."""
    text = subprocess.run(["cg_annotate", path], capture_output=True, text=True, check=True).stdout
    events = re.search(r"Events shown:\s+(.*)", text).group(1).split()
    line = next(l for l in text.splitlines() if "PROGRAM TOTALS" in l)
    counts = [int(n.replace(",", "")) for n in re.findall(r"([0-9][0-9,]*) \(", line)]
    return dict(zip(events, counts))


# A shared library whose work is n * FACTOR additions: rebuilt with another FACTOR, its counts move.
LIBRARY = 'long work(long n) { volatile long acc = 0; for (long i = 0; i < n * FACTOR; ++i) acc += i; return acc; }\n'


def compile_c(directory, name, source, *flags):
    """Writes NAME.c into DIRECTORY and compiles it there with cc -O1 -g and FLAGS; returns the source's path."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, name + ".c")
    with open(path, "w") as f:
        f.write(source)
    subprocess.run(["cc", "-O1", "-g", path, *flags], cwd=directory, check=True)
    return path

"""`ci-bench init` as a new user meets it: in an empty folder, with ci-bench installed
(`make install PREFIX=...`) and on PATH; then the three commands it prints, run as printed, record
a baseline and gate the example benchmark; a second init refuses and writes nothing."""
import os
import re

from adoption_test import BUILD_DIR, SOURCE_DIR, AdoptionTest, read_json, run

STARTER = ["ci-bench.toml", "bench/example_bench.cpp", "bench/CMakeLists.txt", ".github/workflows/ci-bench.yml",
           ".github/workflows/ci-bench-comment.yml", ".github/workflows/ci-bench-refresh.yml"]


def snapshot(root):
    found = {}
    for folder, _, names in os.walk(root):
        for n in names:
            path = os.path.join(folder, n)
            with open(path, "rb") as f:
                found[os.path.relpath(path, root)] = f.read()
    return found


class Init(AdoptionTest):
    def test_init_then_the_printed_commands_gate_the_example(self):
        prefix = os.path.join(self.dir, "prefix")
        self.check("make", "-C", SOURCE_DIR, "install", f"BUILD_DIR={BUILD_DIR}", f"PREFIX={prefix}")
        env = dict(os.environ, PATH=os.path.join(prefix, "bin") + os.pathsep + os.environ["PATH"])
        project = os.path.join(self.dir, "my-project")
        os.mkdir(project)

        init = self.check("ci-bench", "init", cwd=project, env=env)
        self.assertEqual(sorted(snapshot(project)), sorted(STARTER))
        commands = re.search(r"Next, from \.:\n((?:  .*\n){3})", init.stdout)
        self.assertIsNotNone(commands, init.stdout)
        commands = [line.strip() for line in commands.group(1).splitlines()]
        self.assertEqual(commands[0], "cmake -S bench -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "
                                      f"-DCMAKE_PREFIX_PATH={prefix} && cmake --build build")
        self.assertTrue(commands[1].startswith("ci-bench run --update-baselines"), commands)
        self.assertTrue(commands[2].startswith("ci-bench run "), commands)

        for command in commands:  # as a user pastes them: by a shell, in the project's folder
            self.check("bash", "-c", command, cwd=project, env=env)
        results = read_json(os.path.join(project, "build", "ci-bench", "results.json"))
        (bench,) = results["benchmarks"]
        self.assertEqual((bench["name"], bench["status"]), ("example.sort.10k", "pass"))
        self.assertGreater(bench["metrics"]["instructions"], 100_000)
        self.assertEqual(results["reproduce"]["command"], "cmake --build build && ci-bench run")
        self.assertTrue(os.path.isfile(os.path.join(project, "baselines", "example.sort.10k.json")))

        # Again: every starter file exists now. Each is named, nothing is written, exit 2.
        before = snapshot(project)
        again = run(os.path.join(prefix, "bin", "ci-bench"), "init", project)
        self.assertEqual(again.returncode, 2, again.stdout + again.stderr)
        for f in STARTER:
            self.assertIn(f"{os.path.join(project, f)} exists", again.stderr)
        self.assertIn("nothing was written", again.stderr)
        self.assertEqual(snapshot(project), before)

    def test_one_existing_file_stops_init_before_it_writes_anything(self):
        project = os.path.join(self.dir, "existing")
        os.makedirs(os.path.join(project, ".github", "workflows"))
        with open(os.path.join(project, ".github", "workflows", "ci-bench.yml"), "w") as f:
            f.write("mine\n")
        proc = run(os.path.join(BUILD_DIR, "bin", "ci-bench"), "init", project)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertEqual(proc.stderr.splitlines()[0],
                         f"ci-bench: init: {os.path.join(project, '.github', 'workflows', 'ci-bench.yml')} exists")
        self.assertEqual(snapshot(project), {".github/workflows/ci-bench.yml": b"mine\n"})

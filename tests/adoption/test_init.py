"""`ci-bench init` as a new user meets it: in an empty folder, with ci-bench installed
(`make install PREFIX=...`) and on PATH; then the three commands it prints, run as printed, record
a baseline and gate the example benchmark; a second init refuses and writes nothing."""
import os
import re
import resource
import shlex
import shutil
import signal
import subprocess

from adoption_test import BUILD_DIR, SOURCE_DIR, AdoptionTest, read_json, run

# Where the generated workflows fetch ci-bench from: by default the build's own clone, which the
# tests must not depend on (a clone of a clone has no GitHub origin).
SHA = "0123456789abcdef0123456789abcdef01234567"
NEW_SHA = "89abcdef0123456789abcdef0123456789abcdef"
PINS = ["--ci-bench-repository", "example/ci-bench", "--ci-bench-ref", SHA, "--ci-bench-tag", "v9.9.9"]
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

        init = self.check("ci-bench", "init", *PINS, cwd=project, env=env)
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
        self.assertEqual(results["reproduce"]["command"],
                         "cmake -S bench -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build && ci-bench run")
        self.assertTrue(os.path.isfile(os.path.join(project, "baselines", "example.sort.10k.json")))

        # Again: every starter file exists now. Each is named, nothing is written, exit 2.
        before = snapshot(project)
        again = run(os.path.join(prefix, "bin", "ci-bench"), "init", project, *PINS)
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
        proc = run(os.path.join(BUILD_DIR, "bin", "ci-bench"), "init", project, *PINS)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertEqual(proc.stderr.splitlines()[0],
                         f"ci-bench: init: {os.path.join(project, '.github', 'workflows', 'ci-bench.yml')} exists")
        self.assertEqual(snapshot(project), {".github/workflows/ci-bench.yml": b"mine\n"})

    def test_a_folder_in_the_way_stops_init_before_it_writes_anything(self):
        # A dangling .github/workflows link: init used to write the config and bench/, then fail,
        # and a second init refused because of the files the first had left.
        project = os.path.join(self.dir, "dangling")
        os.makedirs(os.path.join(project, ".github"))
        os.symlink("nowhere", os.path.join(project, ".github", "workflows"))
        proc = run(os.path.join(BUILD_DIR, "bin", "ci-bench"), "init", project, *PINS)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertIn(f"{os.path.join(project, '.github', 'workflows')} is a symbolic link to nothing", proc.stderr)
        self.assertIn("nothing was written", proc.stderr)
        self.assertEqual(os.listdir(project), [".github"])  # no config, no bench/
        self.assertEqual(os.listdir(os.path.join(project, ".github")), ["workflows"])

    def test_a_write_that_fails_part_way_leaves_nothing_behind(self):
        # Every check passes, then a file cannot be written (here: a file size limit that the
        # largest starter file, the config, exceeds): no file, no temporary and no folder remains.
        project = os.path.join(self.dir, "limited")
        os.mkdir(project)

        def small_files_only():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (800, 800))

        proc = subprocess.run([os.path.join(BUILD_DIR, "bin", "ci-bench"), "init", project, *PINS], capture_output=True,
                              text=True, preexec_fn=small_files_only, timeout=60)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertIn("cannot write", proc.stderr)
        self.assertNotIn("wrote", proc.stdout)
        self.assertEqual(os.listdir(project), [])

    def test_printed_commands_quote_paths_for_the_shell(self):
        # A driver in a folder whose name has a space and a ';', as if installed there: each path
        # the printed commands hold must stay one word when pasted into a shell.
        prefix = os.path.join(self.dir, "my tools;touch pwned")
        os.makedirs(os.path.join(prefix, "bin"))
        os.makedirs(os.path.join(prefix, "lib", "cmake", "cibench"))
        open(os.path.join(prefix, "lib", "cmake", "cibench", "cibenchConfig.cmake"), "w").close()
        driver = os.path.join(prefix, "bin", "ci-bench")
        shutil.copy(os.path.join(BUILD_DIR, "bin", "ci-bench"), driver)
        project = os.path.join(self.dir, "quoted")
        init = self.check(driver, "init", project, *PINS, env=dict(os.environ, PATH="/usr/bin:/bin"))
        commands = re.search(r"Next, from .*:\n((?:  .*\n){3})", init.stdout)
        self.assertIsNotNone(commands, init.stdout)
        cmake, update, gate = [shlex.split(line, comments=True) for line in commands.group(1).splitlines()]
        self.assertIn(f"-DCMAKE_PREFIX_PATH={prefix}", cmake)
        self.assertEqual(update, [driver, "run", "--update-baselines"])
        self.assertEqual(gate, [driver, "run"])

    def git_project(self, name, branch, tracked_build=False):
        project = os.path.join(self.dir, name)
        os.mkdir(project)
        git = ["git", "-C", project, "-c", "user.name=t", "-c", "user.email=t@t"]
        self.check(*git[:3], "init", "-q", "-b", branch)
        if tracked_build:
            os.mkdir(os.path.join(project, "build"))
            with open(os.path.join(project, "build", "build.sh"), "w") as f:
                f.write("#!/bin/sh\n")
            self.check(*git, "add", "build")
        self.check(*git, "commit", "-q", "--allow-empty", "-m", "start")
        return project

    def test_a_placeholder_repository_is_refused_not_written(self):
        project = os.path.join(self.dir, "unpinned")
        proc = run(os.path.join(BUILD_DIR, "bin", "ci-bench"), "init", project, "--ci-bench-repository", "OWNER/ci-bench")
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertIn("which GitHub repository holds ci-bench", proc.stderr)
        self.assertIn("--ci-bench-repository OWNER/NAME", proc.stderr)
        self.assertFalse(os.path.exists(project))

    def driver_with_pin(self, pin):
        """A copy of the driver whose build recorded `pin` (share/ci-bench/source.txt beside it),
        or nothing when pin is None."""
        prefix = os.path.join(self.dir, "pinned-prefix" if pin is not None else "unpinned-prefix")
        os.makedirs(os.path.join(prefix, "bin"))
        shutil.copy2(os.path.join(BUILD_DIR, "bin", "ci-bench"), os.path.join(prefix, "bin"))
        if pin is not None:
            os.makedirs(os.path.join(prefix, "share", "ci-bench"))
            with open(os.path.join(prefix, "share", "ci-bench", "source.txt"), "w") as f:
                f.write(pin)
        return os.path.join(prefix, "bin", "ci-bench")

    def test_without_a_known_repository_or_commit_init_asks_and_writes_nothing(self):
        driver = self.driver_with_pin(None)
        project = os.path.join(self.dir, "unknown")
        proc = run(driver, "init", project)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertIn("give --ci-bench-repository OWNER/NAME", proc.stderr)
        self.assertFalse(os.path.exists(project))
        proc = run(driver, "init", project, "--ci-bench-repository", "example/ci-bench")
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertIn("does not know the commit it was built from: give --ci-bench-ref SHA", proc.stderr)
        self.assertFalse(os.path.exists(project))

    def test_a_tag_as_the_ref_is_refused_with_how_to_find_its_commit(self):
        project = os.path.join(self.dir, "tagged")
        proc = run(os.path.join(BUILD_DIR, "bin", "ci-bench"), "init", project, "--ci-bench-repository", "example/ci-bench",
                   "--ci-bench-ref", "v1.2.0")
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertIn("'v1.2.0' is not a full commit SHA", proc.stderr)
        self.assertIn("git ls-remote --tags https://github.com/example/ci-bench v1.2.0", proc.stderr)
        self.assertFalse(os.path.exists(project))

    def test_by_default_the_workflows_pin_the_commit_and_tag_the_driver_was_built_from(self):
        driver = self.driver_with_pin(f"repository=acme/ci-bench\ncommit={NEW_SHA}\ntag=v2.0.0\nmodified=\n")
        project = os.path.join(self.dir, "by-default")
        init = self.check(driver, "init", project, "--container", "debian:12@sha256:" + "ab" * 32)
        self.assertIn(f"ci-bench acme/ci-bench@{NEW_SHA[:12]} (v2.0.0),\n", init.stdout)
        self.assertNotIn("Pin CI's image by digest", init.stdout)
        for name, called in (("ci-bench.yml", "reusable-gate"), ("ci-bench-comment.yml", "reusable-comment"),
                             ("ci-bench-refresh.yml", "reusable-refresh")):
            with open(os.path.join(project, ".github", "workflows", name)) as f:
                workflow = f.read()
            self.assertIn(f"uses: acme/ci-bench/.github/workflows/{called}.yml@{NEW_SHA}  # v2.0.0\n", workflow)
            self.assertIn(f"ci-bench-ref: {NEW_SHA}\n", workflow)
            self.assertEqual(f"container: \"debian:12@sha256:{'ab' * 32}\"\n" in workflow, name != "ci-bench-comment.yml", name)
        # Another commit than the build's: its tag is not the build's.
        other = os.path.join(self.dir, "other-commit")
        init = self.check(driver, "init", other, "--ci-bench-ref", SHA, "--container", "debian:12")
        self.assertIn(f"ci-bench acme/ci-bench@{SHA[:12]},\n", init.stdout)
        self.assertIn("Pin CI's image by digest", init.stdout)
        with open(os.path.join(other, ".github", "workflows", "ci-bench.yml")) as f:
            self.assertIn(f"reusable-gate.yml@{SHA}\n", f.read())
        bad = run(driver, "init", os.path.join(self.dir, "bad-image"), "--container", "debian:12\nrun: evil")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("is not an image reference", bad.stderr)

    def test_what_would_pin_something_else_than_asked_is_refused(self):
        driver = self.driver_with_pin(f"repository=acme/ci-bench\ncommit={NEW_SHA}\ntag=v2.0.0\nmodified=\n")
        project = os.path.join(self.dir, "refused")
        for args, said in (
                (["--ci-bench-tag", "v3.0.0"], "--ci-bench-tag names the tag of --ci-bench-ref's commit: give both"),
                (["--ci-bench-ref", "0123456"], "'0123456' is a short commit SHA: the workflows pin the full one"),
                (["--ci-bench-repository", "../.."], "'../..' is not a GitHub repository's OWNER/NAME"),
                (["--ci-bench-repository", "acme/ci-bench.git"], "is not a GitHub repository's OWNER/NAME"),
                (["--ci-bench-tag", "v" * 60_000, "--ci-bench-ref", SHA], "is not a tag name"),
                (["--container", "debian:12@sha256:abc"], "the digest 64 lowercase hex digits")):
            proc = run(driver, "init", project, *args)
            self.assertEqual(proc.returncode, 2, (args[:2], proc.stdout, proc.stderr[-300:]))
            self.assertIn(said, proc.stderr)
            self.assertFalse(os.path.exists(project))
        # An uppercase SHA is the same commit; a registry with a port is an image.
        self.check(driver, "init", project, "--ci-bench-ref", SHA.upper(), "--container", "localhost:5000/img:1")
        with open(os.path.join(project, ".github", "workflows", "ci-bench.yml")) as f:
            gate = f.read()
        self.assertIn(f"reusable-gate.yml@{SHA}\n", gate)
        self.assertIn('container: "localhost:5000/img:1"\n', gate)

    def test_update_keeps_the_build_folder_the_files_use(self):
        project = self.git_project("kept", "main")
        driver = os.path.join(BUILD_DIR, "bin", "ci-bench")
        self.check(driver, "init", project, *PINS)
        os.makedirs(os.path.join(project, "build"))  # what init's first printed command makes
        self.check(driver, "init", project, "--update", "--ci-bench-repository", "example/ci-bench", "--ci-bench-ref", NEW_SHA)
        with open(os.path.join(project, ".github", "workflows", "ci-bench.yml")) as f:
            self.assertIn("cmake -S bench -B build -DCMAKE_BUILD_TYPE", f.read())
        with open(os.path.join(project, "ci-bench.toml")) as f:
            config = f.read()
        self.assertIn('binary = "build/bin/example_bench"', config)
        self.assertIn('[drift]\nbranch = "main"\n', config)

    def test_the_workflows_run_on_the_default_branch_and_build_beside_a_tracked_build_folder(self):
        project = self.git_project("on-dev", "dev", tracked_build=True)
        init = self.check(os.path.join(BUILD_DIR, "bin", "ci-bench"), "init", project, *PINS)
        self.assertIn("pushes to dev", init.stdout)
        with open(os.path.join(project, ".github", "workflows", "ci-bench.yml")) as f:
            gate = f.read()
        self.assertIn("    branches: [\"dev\"]\n", gate)
        self.assertIn("build-command: cmake -S bench -B build-ci-bench -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build-ci-bench", gate)
        self.assertIn(f"uses: example/ci-bench/.github/workflows/reusable-gate.yml@{SHA}  # v9.9.9\n", gate)
        self.assertIn(f"ci-bench-ref: {SHA}\n", gate)
        with open(os.path.join(project, "ci-bench.toml")) as f:
            config = f.read()
        self.assertIn('binary = "build-ci-bench/bin/example_bench"', config)
        self.assertIn('[drift]\nbranch = "dev"\n', config)  # the history's drift follows dev too
        self.assertIn("cmake -S bench -B build-ci-bench", init.stdout)

    def test_at_the_root_of_a_cmake_project_the_benchmarks_build_against_it(self):
        project = self.git_project("library", "main")
        with open(os.path.join(project, "CMakeLists.txt"), "w") as f:
            f.write("cmake_minimum_required(VERSION 3.22)\nproject(shop C)\nadd_library(shop STATIC shop.c)\n")
        with open(os.path.join(project, ".gitignore"), "w") as f:
            f.write("build/\n")  # the project's own build folder, which the benchmarks must not share
        init = self.check(os.path.join(BUILD_DIR, "bin", "ci-bench"), "init", project, *PINS)
        with open(os.path.join(project, "bench", "CMakeLists.txt")) as f:
            bench = f.read()
        self.assertIn("add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/.. project EXCLUDE_FROM_ALL)", bench)
        self.assertIn("cmake -S bench -B build-ci-bench", init.stdout)

    def test_update_rewrites_what_nobody_edited_and_names_what_it_leaves(self):
        project = self.git_project("updated", "main")
        driver = os.path.join(BUILD_DIR, "bin", "ci-bench")
        self.check(driver, "init", project, *PINS)
        edited = os.path.join(project, ".github", "workflows", "ci-bench-comment.yml")
        with open(edited, "a") as f:
            f.write("# mine\n")
        os.remove(os.path.join(project, "bench", "example_bench.cpp"))
        before = snapshot(project)
        update = self.check(driver, "init", project, "--update", "--ci-bench-repository", "example/ci-bench", "--ci-bench-ref", NEW_SHA)
        self.assertIn(f"left alone: {edited} (edited since init wrote it)", update.stdout)
        self.assertIn(f"updated: {os.path.join(project, '.github', 'workflows', 'ci-bench.yml')}", update.stdout)
        # A file removed on purpose stays removed; the edited one keeps its old ref, and init says so.
        self.assertIn(f"left alone: {os.path.join(project, 'bench', 'example_bench.cpp')} (not there", update.stdout)
        self.assertFalse(os.path.exists(os.path.join(project, "bench", "example_bench.cpp")))
        self.assertIn(f"change its ci-bench ref ({NEW_SHA}) by hand", update.stdout)
        self.assertEqual(snapshot(project)[".github/workflows/ci-bench-comment.yml"], before[".github/workflows/ci-bench-comment.yml"])
        with open(os.path.join(project, ".github", "workflows", "ci-bench.yml")) as f:
            self.assertIn(f"reusable-gate.yml@{NEW_SHA}\n", f.read())
        # Run again: nothing left to change but the edited file.
        again = self.check(driver, "init", project, "--update", "--ci-bench-repository", "example/ci-bench", "--ci-bench-ref", NEW_SHA)
        self.assertIn(f"unchanged: {os.path.join(project, 'ci-bench.toml')}", again.stdout)
        self.assertNotIn("updated:", again.stdout)

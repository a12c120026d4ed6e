"""ci-bench installed (`make install PREFIX=...`, then moved: nothing in it may point at the build)
and packaged (`make package`'s .deb, unpacked with dpkg-deb -x), each used by the sample project
through find_package(cibench CONFIG REQUIRED) alone."""
import glob
import os
import re
import shutil

from adoption_test import BUILD_DIR, SOURCE_DIR, AdoptionTest, run

SCRIPTS = ["export.py", "post_comment.py", "report.py", "report_facts.py", "report_html.py", "report_markdown.py",
           "report_text.py", "results_file.py", "visible_text.py", "results.schema.json"]
INSTALLED = (["bin/ci-bench", "bin/ci-bench-export", "bin/ci-bench-post-comment", "bin/ci-bench-report",
              "include/cibench/measure_time.hpp", "include/cibench/workload.hpp", "include/cibench/workload_serve.hpp",
              "lib/cmake/cibench/cibenchConfig.cmake", "lib/cmake/cibench/cibenchConfigVersion.cmake",
              "lib/cmake/cibench/cibenchTargets.cmake"]
             + [f"share/ci-bench/{s}" for s in SCRIPTS])


def files_under(root):
    found = set()
    for folder, _, names in os.walk(root):
        for n in names:
            found.add(os.path.relpath(os.path.join(folder, n), root))
    return found


class Installed(AdoptionTest):
    def test_make_install_then_find_package_gates_the_sample(self):
        staged = os.path.join(self.dir, "staged")
        self.check("make", "-C", SOURCE_DIR, "install", f"BUILD_DIR={BUILD_DIR}", f"PREFIX={staged}")
        prefix = os.path.join(self.dir, "prefix")
        os.rename(staged, prefix)  # relocatable: nothing may refer to where it was installed
        installed = files_under(prefix)
        for f in INSTALLED:
            self.assertIn(f, installed)
        self.assertTrue(any(re.fullmatch(r"lib/cmake/cibench/cibenchTargets-.*\.cmake", f) for f in installed))
        self.assertFalse(any(f.startswith("include/") and not f.startswith("include/cibench/") for f in installed))
        for f in files_under(os.path.join(prefix, "lib", "cmake")):
            with open(os.path.join(prefix, "lib", "cmake", f)) as text:
                self.assertNotIn(SOURCE_DIR, text.read(), f"{f} names ci-bench's source tree")

        project = self.copy_sample()
        failed = self.gate_catches_a_change_in_the_hot_function(
            os.path.join(prefix, "bin", "ci-bench"), project, f"-DCMAKE_PREFIX_PATH={prefix}")

        # The scripts, from the install only: the comment and an export of the failed run.
        results = os.path.join(project, "build", "ci-bench", "results.json")
        comment = self.check(os.path.join(prefix, "bin", "ci-bench-report"), results, cwd=self.dir)
        self.assertIn("<!-- ci-bench-report -->", comment.stdout)
        self.assertIn("3 failed of 3 benchmarks", comment.stdout)
        self.assertIn(r"| rollhash\.64k | Instructions |", comment.stdout)
        self.assertIn(":rollhash | ", comment.stdout)
        junit = self.check("python3", os.path.join(prefix, "share", "ci-bench", "export.py"), results,
                           "--format", "junit", cwd=self.dir)
        self.assertIn("<failure", junit.stdout)
        self.assertEqual(run(os.path.join(prefix, "bin", "ci-bench-post-comment"), "--help").returncode, 0)

        # The version file: this 0.x package does not satisfy a request for 1.0 (SameMajorVersion).
        other = os.path.join(self.dir, "wants_v1")
        os.mkdir(other)
        with open(os.path.join(other, "CMakeLists.txt"), "w") as f:
            f.write("cmake_minimum_required(VERSION 3.22)\nproject(wants_v1 LANGUAGES NONE)\n"
                    "find_package(cibench 1.0 CONFIG REQUIRED)\n")
        refused = run("cmake", "-S", other, "-B", os.path.join(other, "build"), f"-DCMAKE_PREFIX_PATH={prefix}")
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn('compatible with requested version "1.0"', refused.stderr)
        self.assertRegex(refused.stderr, r"cibenchConfig\.cmake, version: 0\.1\.0")

    def test_the_deb_declares_its_dependencies_and_its_files_serve_find_package(self):
        # `make package` leaves the .deb in the build folder; this test works on a copy of it.
        for old in glob.glob(os.path.join(BUILD_DIR, "ci-bench_*.deb")):
            os.remove(old)
        self.check("make", "-C", SOURCE_DIR, "package", f"BUILD_DIR={BUILD_DIR}")
        debs = glob.glob(os.path.join(BUILD_DIR, "ci-bench_*.deb"))
        self.assertEqual(len(debs), 1, debs)
        deb = shutil.copy(debs[0], self.dir)
        self.assertRegex(os.path.basename(deb), r"^ci-bench_0\.1\.0_[a-z0-9]+\.deb$")

        info = self.check("dpkg-deb", "-f", deb, "Package", "Depends").stdout
        depends = {d.strip().split(" ")[0] for d in re.search(r"Depends: (.*)", info).group(1).split(",")}
        # Declared by hand: the instrument and the scripts' interpreter.
        self.assertLessEqual({"valgrind", "python3"}, depends)
        # Found by dpkg-shlibdeps from the driver's ELF: the C and C++ runtimes and libfmt.
        self.assertIn("libc6", depends)
        self.assertIn("libstdc++6", depends)
        self.assertTrue(any(d.startswith("libfmt") for d in depends), depends)

        root = os.path.join(self.dir, "root")
        self.check("dpkg-deb", "-x", deb, root)
        contents = files_under(os.path.join(root, "usr"))
        for f in INSTALLED:
            self.assertIn(f, contents)
        self.assertEqual({f.split("/")[0] for f in contents}, {"bin", "include", "lib", "share"})

        # apt would install it here (simulated: nothing is changed).
        if shutil.which("apt-get"):
            apt = self.check("apt-get", "install", "-s", "--no-install-recommends", deb)
            self.assertRegex(apt.stdout, r"Inst ci-bench ")

        # The unpacked files are a prefix find_package can use: the sample, gated by the packaged driver.
        project = self.copy_sample()
        self.gate_catches_a_change_in_the_hot_function(
            os.path.join(root, "usr", "bin", "ci-bench"), project, f"-DCMAKE_PREFIX_PATH={os.path.join(root, 'usr')}")

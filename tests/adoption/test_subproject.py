"""ci-bench as a subproject of the sample (add_subdirectory on its source tree): only the driver
and the header targets are built, nothing of ci-bench's own is added to the consumer's build."""
import json
import os
import shutil

from adoption_test import BUILD_DIR, SOURCE_DIR, AdoptionTest, run

# Compiling the driver here is most of this test's time: with ccache (installed by
# ci/install-deps.sh; its cache in the build folder) it is paid once, not on every run.
CCACHE = []
if shutil.which("ccache"):
    os.environ["CCACHE_DIR"] = os.path.join(BUILD_DIR, "test-output", "ccache")
    CCACHE = ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache", "-DCMAKE_C_COMPILER_LAUNCHER=ccache"]


class Subproject(AdoptionTest):
    def test_add_subdirectory_builds_the_driver_only_and_gates_the_sample(self):
        project = self.copy_sample()
        build = os.path.join(project, "build")
        failed = self.gate_catches_a_change_in_the_hot_function(
            os.path.join(build, "bin", "ci-bench"), project, f"-DCIBENCH_SOURCE_DIR={SOURCE_DIR}", *CCACHE)

        # Nothing looked up or built for ci-bench's own workloads and tests. (SQLite is: the driver
        # keeps its history file with it.)
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            cache = f.read()
        self.assertIn("SQLite3_INCLUDE_DIR", cache)
        for lookup in ("Boost_DIR", "benchmark_DIR", "Python3_EXECUTABLE"):
            self.assertNotIn(lookup, cache)
        self.assertRegex(cache, r"\nCMAKE_BUILD_TYPE:STRING=\n", "the consumer's build type is left alone")
        targets = self.check("cmake", "--build", build, "--target", "help").stdout
        for name in ("ci-bench", "rollhash_bench", "bench-gate"):
            self.assertIn(f"... {name}\n", targets)
        for name in ("unit_tests", "sorting", "testprog", "google_benchmark_side_by_side", "Nightly",
                     "Experimental", "package", "install"):
            self.assertNotIn(f"... {name}\n", targets)
        self.assertFalse(os.path.exists(os.path.join(build, "DartConfiguration.tcl")), "no include(CTest)")
        self.assertFalse(os.path.exists(os.path.join(build, "CTestTestfile.cmake")), "no tests added")

        # ci-bench's warnings and C++20 stay in ci-bench's folder.
        with open(os.path.join(build, "compile_commands.json")) as f:
            commands = {os.path.basename(c["file"]): c["command"] for c in json.load(f)}
        self.assertIn("-Wextra", commands["main.cpp"])
        self.assertIn("-std=c++20", commands["main.cpp"])
        for sample_file in ("rollhash.c", "rollhash_bench.cpp"):
            self.assertNotIn("-Wextra", commands[sample_file])
            self.assertNotIn("-std=c++20", commands[sample_file])

        # The sample's own gate target runs the driver it built: red on the change, green without it.
        self.assertEqual(failed.returncode, 1)
        self.assertNotEqual(run("cmake", "--build", build, "--target", "bench-gate").returncode, 0)
        self.build_sample(project, "-DROLLHASH_EXTRA_ROUND=OFF")
        gate = self.check("cmake", "--build", build, "--target", "bench-gate")
        self.assertIn("3 pass", gate.stdout)

"""The driver's folders are layered by the build (cmake/folder_libraries.cmake): a small CMake project
of its own declares folders with the real cibench_folder() and must fail to configure when a folder
depends on one declared above it (a cycle), and fail to compile when a source includes a folder it
does not depend on. And every folder of harness/src is a library of harness/CMakeLists.txt."""
import os
import re
import subprocess
import tempfile
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FOLDERS_CMAKE = os.path.join(REPO, "cmake", "folder_libraries.cmake")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class FolderLayering(unittest.TestCase):
    def project(self, declarations, files):
        root = tempfile.mkdtemp(prefix="layering-")
        write(os.path.join(root, "CMakeLists.txt"),
              "cmake_minimum_required(VERSION 3.22)\nproject(layering LANGUAGES CXX)\n"
              f"include({FOLDERS_CMAKE})\n{declarations}\n")
        for name, text in files.items():
            write(os.path.join(root, "src", name), text)
        return root

    def configure(self, root):
        return subprocess.run(["cmake", "-S", root, "-B", os.path.join(root, "build")],
                              capture_output=True, text=True)

    def build(self, root):
        return subprocess.run(["cmake", "--build", os.path.join(root, "build")], capture_output=True, text=True)

    SOURCES = {"low/low.hpp": "#pragma once\ninline int low() { return 1; }\n",
               "low/low.cpp": '#include "low/low.hpp"\nint low_twice() { return 2 * low(); }\n',
               "high/high.hpp": '#pragma once\n#include "low/low.hpp"\ninline int high() { return low() + 1; }\n',
               "high/high.cpp": '#include "high/high.hpp"\nint high_twice() { return 2 * high(); }\n'}

    def test_layered_folders_build(self):
        root = self.project("cibench_folder(low)\n"
                            "cibench_folder(high DEPENDS low)", self.SOURCES)
        self.assertEqual(self.configure(root).returncode, 0)
        result = self.build(root)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_a_cycle_stops_cmake_naming_both_folders(self):
        root = self.project("cibench_folder(low DEPENDS high)\n"
                            "cibench_folder(high DEPENDS low)", self.SOURCES)
        result = self.configure(root)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("low depends on high, which is not declared below it", result.stderr)
        self.assertIn("cycle", result.stderr)

    def test_including_a_folder_not_depended_on_does_not_compile(self):
        sources = dict(self.SOURCES)
        sources["low/low.cpp"] = '#include "high/high.hpp"\nint low_twice() { return 2 * high(); }\n'
        root = self.project("cibench_folder(low)\n"
                            "cibench_folder(high DEPENDS low)", sources)
        self.assertEqual(self.configure(root).returncode, 0)
        result = self.build(root)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("high/high.hpp", result.stdout + result.stderr)

    def test_every_folder_of_the_driver_is_a_library(self):
        with open(os.path.join(REPO, "harness", "CMakeLists.txt")) as f:
            declared = re.findall(r"^cibench_folder\((\w+)", f.read(), re.M)
        src = os.path.join(REPO, "harness", "src")
        folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
        self.assertEqual(sorted(declared), folders)


if __name__ == "__main__":
    unittest.main()

"""`ci-bench time --compare` as typed in a project's folder: the default --out is relative, and the
instruction counts beside the times must still land in it (the Valgrind runs happen in a sandbox
folder, where a relative path would name a folder that does not exist)."""
import os
import subprocess

from cibench_test import CIBENCH, CiBenchTest, TESTSUITE


class TimeRelativeOut(CiBenchTest):
    def test_compare_with_the_default_relative_out_counts_both_sides(self):
        for side in ("here", "other"):
            os.makedirs(os.path.join(self.dir, side))
            self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\nenv = {{ TESTSUITE_ITERATIONS = "1000" }}\n',
                              os.path.join(self.dir, side))
        proc = subprocess.run([CIBENCH, "time", "--config", "here/ci-bench.toml", "--compare", "other/ci-bench.toml",
                               "--filter", "^loop$", "--blocks", "6", "--budget-ms", "30", "--warmup-ms", "1"],
                              cwd=self.dir, capture_output=True, text=True, timeout=300)
        self.assertIn(proc.returncode, (0, 1), proc.stdout + proc.stderr)  # the verdict on the times is not the point
        self.assertNotIn("Cannot create log file", proc.stdout + proc.stderr)
        self.assertIn("instructions unchanged (", proc.stdout)
        for side in ("this", "other"):
            counted = os.path.join(self.dir, "build", "ci-bench", "time", "valgrind", side)
            self.assertTrue(any(name.endswith(".valgrind.log") for name in os.listdir(counted)), os.listdir(counted))

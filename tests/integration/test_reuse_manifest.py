"""Reuse proves a benchmark unchanged from what its run really read: each case here changed the
counts while an earlier fingerprint still said "unchanged" (a false pass). Each records baselines,
checks that the untouched benchmark is reused, changes one thing the run saw, and expects a
measurement that fails the gate."""
import os
import shutil
import stat
import subprocess
import sys
import unittest

from cibench_test import LIBRARY, compile_c, CIBENCH, CiBenchTest, read_json

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

FAIL_AT_1PCT = '[benchmark.thresholds]\nfail = { instructions = "1%" }\n'

# Work proportional to every byte of every file and to every entry of the folder it is given.
WALKER = r'''
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
static long work;
static int visit(const char* path, const struct stat* st, int type, struct FTW* f) {
  work += 1000;
  if (type == FTW_F) { FILE* in = fopen(path, "rb"); int c; while (in && (c = getc(in)) != EOF) work += c; if (in) fclose(in); }
  return 0;
}
int main(int argc, char** argv) { nftw(argv[1], visit, 16, 0); printf("%ld\n", work); return 0; }
'''




def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


class ReuseSeesWhatTheRunSaw(CiBenchTest):
    def record_then_change(self, config, change, name="b"):
        """Baselines, a reused run, then `change()`: the benchmark must be measured again and fail."""
        self.write_config(config)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        baseline = read_json(os.path.join(self.dir, "baselines", f"{name}.json"))
        self.assertTrue(baseline.get("manifest"), baseline)
        again = self.run_cibench()
        self.assertExit(again, 0)
        self.assertTrue(again.bench(name).get("reused"), again.stdout + again.stderr)
        change()
        r = self.run_cibench()
        self.assertNotIn("reused", r.bench(name), r.stdout)
        self.assertEqual(r.bench(name)["status"], "fail", r.stdout + r.stderr)
        self.assertExit(r, 1)
        return r

    def test_a_library_the_loader_picks_from_a_platform_folder(self):
        # Under Valgrind the loader's AT_PLATFORM is "haswell" and it searches lib/haswell/, which
        # the host's own `ld.so --list` (AT_PLATFORM "x86_64" here) never looks in: a copy added
        # there is what runs under Valgrind, and what the old fingerprint never saw.
        lib = os.path.join(self.dir, "lib")
        compile_c(lib, "work", LIBRARY, "-DFACTOR=1", "-shared", "-fPIC", "-o", "libwork.so")
        compile_c(lib, "prog", 'long work(long);\nint main(void) { return work(20000) < 0; }\n',
                  "-o", "prog", f"-L{lib}", "-lwork", f"-Wl,-rpath,{lib}")

        def add_platform_copy():
            os.makedirs(os.path.join(lib, "haswell"))
            compile_c(lib, "work", LIBRARY, "-DFACTOR=20", "-shared", "-fPIC", "-o",
                      os.path.join(lib, "haswell", "libwork.so"))
        self.record_then_change(f'[[benchmark]]\nname = "b"\ncommand = ["{lib}/prog"]\n' + FAIL_AT_1PCT,
                                add_platform_copy)

    def test_an_audit_module_named_in_env(self):
        audit_source = ('#include <link.h>\nunsigned la_version(unsigned v) { volatile long a = 0; '
                        'for (long i = 0; i < 1000 * FACTOR; ++i) a += i; return v; }\n')
        compile_c(self.dir, "audit", audit_source, "-DFACTOR=1", "-shared", "-fPIC", "-o", "audit.so")
        config = (f'[[benchmark]]\nname = "b"\ncommand = ["/bin/true"]\nenv = {{ LD_AUDIT = "{self.dir}/audit.so" }}\n'
                  + FAIL_AT_1PCT)
        self.record_then_change(config, lambda: compile_c(self.dir, "audit", audit_source, "-DFACTOR=300", "-shared",
                                                          "-fPIC", "-o", "audit.so"))

    def walker_config(self, folder):
        compile_c(self.dir, "walker", WALKER, "-o", "walker")
        return f'[[benchmark]]\nname = "b"\ncommand = ["{self.dir}/walker", "data"]\ninputs = ["{folder}"]\n' + FAIL_AT_1PCT

    def test_a_file_under_a_linked_folder_of_an_input(self):
        elsewhere = os.path.join(self.dir, "elsewhere")
        write(os.path.join(elsewhere, "big.txt"), "x" * 1000)
        write(os.path.join(self.dir, "data", "top.txt"), "y" * 1000)
        os.symlink(elsewhere, os.path.join(self.dir, "data", "linked"))
        self.record_then_change(self.walker_config("data"),
                                lambda: write(os.path.join(elsewhere, "big.txt"), "x" * 3000))

    def test_empty_folders_added_to_an_input(self):
        write(os.path.join(self.dir, "data", "a.txt"), "z")
        self.record_then_change(self.walker_config("data"),
                                lambda: [os.makedirs(os.path.join(self.dir, "data", f"empty{i}")) for i in range(3)])

    def test_a_data_file_read_by_absolute_path(self):
        data = os.path.join(self.dir, "outside", "data.txt")
        write(data, "q" * 1000)
        compile_c(self.dir, "walker", WALKER, "-o", "walker")
        self.record_then_change(f'[[benchmark]]\nname = "b"\ncommand = ["{self.dir}/walker", "{data}"]\n' + FAIL_AT_1PCT,
                                lambda: write(data, "q" * 5000))

    def test_a_plugin_opened_with_dlopen(self):
        plugins = os.path.join(self.dir, "plugins")
        compile_c(plugins, "plugin", LIBRARY, "-DFACTOR=1", "-shared", "-fPIC", "-o", "plugin.so")
        host = (f'#include <dlfcn.h>\nint main(void) {{ void* h = dlopen("{plugins}/plugin.so", RTLD_NOW); '
                'long (*w)(long) = (long (*)(long))dlsym(h, "work"); return w(20000) < 0; }\n')
        compile_c(self.dir, "host", host, "-o", "host", "-ldl")
        self.record_then_change(f'[[benchmark]]\nname = "b"\ncommand = ["{self.dir}/host"]\n' + FAIL_AT_1PCT,
                                lambda: compile_c(plugins, "plugin", LIBRARY, "-DFACTOR=5", "-shared", "-fPIC",
                                                  "-o", "plugin.so"))

    def test_bytes_of_the_program_file_outside_its_segments(self):
        compile_c(self.dir, "self_reader", WALKER.replace("nftw(argv[1]", "nftw(argv[0]"), "-o", "self_reader")
        program = os.path.join(self.dir, "self_reader")
        self.record_then_change(f'[[benchmark]]\nname = "b"\ncommand = ["{program}"]\n' + FAIL_AT_1PCT,
                                lambda: write(program, "\x7f" * 200_000, "a"))

    def test_the_mode_of_a_file_the_run_checked(self):
        tool = os.path.join(self.dir, "outside", "tool")
        write(tool, "#!/bin/sh\n")
        os.chmod(tool, 0o644)
        program = ('#include <unistd.h>\nlong work(long);\nint main(void) { volatile long a = 0; '
                   f'long n = access("{tool}", X_OK) == 0 ? 2000000 : 20000; for (long i = 0; i < n; ++i) a += i; return 0; }}\n')
        compile_c(self.dir, "checker", program.replace("long work(long);\n", ""), "-o", "checker")
        self.record_then_change(f'[[benchmark]]\nname = "b"\ncommand = ["{self.dir}/checker"]\n' + FAIL_AT_1PCT,
                                lambda: os.chmod(tool, 0o755))

    def test_the_link_count_of_a_file_the_run_stat_ed(self):
        target = os.path.join(self.dir, "outside", "f")
        write(target, "x")
        program = ('#include <sys/stat.h>\nint main(void) { struct stat st; volatile long a = 0; '
                   f'stat("{target}", &st); for (long i = 0; i < 20000L * st.st_nlink; ++i) a += i; return 0; }}\n')
        compile_c(self.dir, "linkcount", program, "-o", "linkcount")
        self.record_then_change(f'[[benchmark]]\nname = "b"\ncommand = ["{self.dir}/linkcount"]\n' + FAIL_AT_1PCT,
                                lambda: os.link(target, target + "2"))

    def test_the_mode_of_a_declared_input(self):
        write(os.path.join(self.dir, "in.txt"), "x")
        os.chmod(os.path.join(self.dir, "in.txt"), 0o644)
        program = ('#include <sys/stat.h>\nint main(void) { struct stat st; volatile long a = 0; stat("in.txt", &st); '
                   'for (long i = 0; i < 20000L * (st.st_mode & 0777); ++i) a += i; return 0; }\n')
        compile_c(self.dir, "modes", program, "-o", "modes")
        self.record_then_change(f'[[benchmark]]\nname = "b"\ncommand = ["{self.dir}/modes"]\ninputs = ["in.txt"]\n'
                                + FAIL_AT_1PCT, lambda: os.chmod(os.path.join(self.dir, "in.txt"), 0o755))

    def test_the_timeout(self):
        self.write_config(f'[[benchmark]]\nname = "b"\ncommand = ["/bin/true"]\ntimeout = 60\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.assertTrue(self.run_cibench().bench("b").get("reused"))
        self.write_config(f'[[benchmark]]\nname = "b"\ncommand = ["/bin/true"]\ntimeout = 1\n')
        self.assertNotIn("reused", self.run_cibench().bench("b"))

    def test_another_build_of_the_driver(self):
        self.write_config('[[benchmark]]\nname = "b"\ncommand = ["/bin/true"]\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.assertTrue(self.run_cibench().bench("b").get("reused"))
        # The same driver with one byte of its loaded text changed: a different way of measuring.
        with open(CIBENCH, "rb") as f:
            driver = f.read()
        marker = b"waiting for another ci-bench run"
        self.assertIn(marker, driver)
        other = os.path.join(self.dir, "ci-bench-other")
        with open(other, "wb") as f:
            f.write(driver.replace(marker, marker.replace(b"another", b"anothr!"), 1))
        os.chmod(other, stat.S_IRWXU)
        proc = subprocess.run([other, "run", "--config", os.path.join(self.dir, "ci-bench.toml"), "--out",
                               os.path.join(self.dir, "out")], capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn("reused", read_json(os.path.join(self.dir, "out", "results.json"))["benchmarks"][0])

    def test_a_benchmark_that_writes_outside_its_folder_is_always_measured_and_says_why(self):
        target = os.path.join(self.dir, "written.txt")
        self.write_config(f'[[benchmark]]\nname = "b"\ncommand = ["/bin/cp", "/etc/hostname", "{target}"]\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.assertNotIn("manifest", read_json(os.path.join(self.dir, "baselines", "b.json")))
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertNotIn("reused", r.bench("b"))
        self.assertTrue(any("written.txt" in why for why in r.bench("b")["reuse_blocked"]), r.bench("b"))
        # and the reader sees why, in the terminal and in the PR comment
        self.assertRegex(r.stdout, r"\n  measured every time: .+\(and \d+ more in results\.json\)\n")
        comment = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "report.py"),
                                  os.path.join(self.dir, "out", "results.json")], capture_output=True, text=True, check=True)
        self.assertIn("1 measured every time: their runs do what no digest can prove unchanged", comment.stdout)

    def test_a_child_that_runs_exec_is_always_measured_and_says_why(self):
        # Valgrind's log of an exec'd program replaces the one before it: a shell's redirection
        # (`< /abs/data`) opened between fork and exec is in no log, so reuse could not see it.
        data = os.path.join(self.dir, "data.txt")
        write(data, "a" * 100)
        self.write_config(f'[[benchmark]]\nname = "b"\ncommand = ["/bin/sh", "-c", "/bin/cat < {data}"]\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertNotIn("reused", r.bench("b"))
        self.assertTrue(any("exec" in why for why in r.bench("b")["reuse_blocked"]), r.bench("b"))

    def test_an_unchanged_suite_and_program_are_reused_with_the_counts_measuring_gives(self):
        from cibench_test import TESTPROG, TESTSUITE
        self.write_config(f'[[benchmark]]\nname = "whole"\ncommand = ["{TESTPROG}", "loop", "3000"]\n'
                          f'[[suite]]\nbinary = "{TESTSUITE}"\n')
        args = ("--filter", "^(whole|two_functions)$")
        self.assertExit(self.run_cibench("--update-baselines", *args), 0)
        reused = self.run_cibench(*args)
        self.assertEqual(reused.json["reused"], 2, reused.stdout)
        measured = self.run_cibench("--no-reuse", *args)
        for name in ("whole", "two_functions"):
            self.assertEqual(reused.bench(name)["metrics"], measured.bench(name)["metrics"])


class SpecialInputs(CiBenchTest):
    def test_a_fifo_or_a_device_as_an_input_is_refused_before_anything_opens_it(self):
        os.mkfifo(os.path.join(self.dir, "pipe"))
        for input_path, word in (("pipe", "FIFO"), ("/dev/zero", "device")):
            self.write_config(f'[[benchmark]]\nname = "b"\ncommand = ["/bin/true"]\ninputs = ["{input_path}"]\n')
            r = self.run_cibench()  # a driver that opened the FIFO would block until the test's timeout
            self.assertExit(r, 2)
            self.assertIn(word, r.bench("b")["error"])
            self.assertIn(input_path.split("/")[-1], r.bench("b")["error"])


if __name__ == "__main__":
    unittest.main()

"""Every process of a [[benchmark]] is counted (sh -c, exec, #! scripts), each in results.json's
"processes" under a stable name; no two benchmarks' files collide whatever their names; a tiny
suite body under Cachegrind is not an error for a hit count its miss noise made negative."""
import os
import subprocess

from cibench_test import CIBENCH, CiBenchTest, TESTPROG, TESTSUITE


def bench(name, command, extra=""):
    return f'[[benchmark]]\nname = "{name}"\ncommand = {command!r}\n{extra}'.replace("'", '"')


class ProcessTree(CiBenchTest):
    def instructions(self, r, name):
        return r.bench(name)["metrics"]["instructions"]

    def test_the_child_of_sh_c_is_counted_and_listed(self):
        self.write_config(bench("small", ["/bin/sh", "-c", f"{TESTPROG} loop 1000; echo done"]) +
                          bench("big", ["/bin/sh", "-c", f"{TESTPROG} loop 1000000; echo done"]))
        r = self.run_cibench()
        self.assertExit(r, 0)
        # 1000x the loop's work: far more than the +0.08 % of sh alone
        self.assertGreater(self.instructions(r, "big"), 3 * self.instructions(r, "small"))
        processes = r.bench("big")["processes"]
        self.assertEqual([p["pid_order"] for p in processes], list(range(len(processes))))
        self.assertIn("sh -c ", processes[0]["command"])  # the program, not the sandbox's link to it
        self.assertNotIn(".cibench-", processes[0]["command"])
        self.assertIn("loop 1000000", processes[1]["command"])
        self.assertEqual(sum(p["metrics"]["Ir"] for p in processes), r.bench("big")["metrics"]["Ir"])
        out = os.path.join(self.dir, "out")
        for name in ("big.cachegrind.out", "big.valgrind.log", "big+process1.cachegrind.out", "big+process1.valgrind.log"):
            self.assertIn(name, r.bench("big")["files"])
            self.assertTrue(os.path.isfile(os.path.join(out, name)), name)
        self.assertFalse([f for f in os.listdir(out) if "+pid" in f])

    def test_exec_and_a_script_are_measured(self):
        script = self.write_script("work.sh", f"{TESTPROG} loop 100000\n")
        self.write_config(bench("exec", ["/bin/sh", "-c", f"exec {TESTPROG} loop 100000"]) +
                          bench("script", [script]) + bench("direct", [TESTPROG, "loop", "100000"]))
        r = self.run_cibench()
        self.assertExit(r, 0)
        direct = self.instructions(r, "direct")
        self.assertGreater(self.instructions(r, "exec"), direct * 0.9)
        self.assertGreater(self.instructions(r, "script"), direct)

    def test_trace_children_false_counts_the_top_process_only_and_says_so_for_exec(self):
        self.write_config(bench("sh", ["/bin/sh", "-c", f"{TESTPROG} loop 1000000; echo done"], "trace_children = false\n") +
                          bench("exec", ["/bin/sh", "-c", f"exec {TESTPROG} loop 10"], "trace_children = false\n"))
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertEqual(len(r.bench("sh")["processes"]), 1)
        self.assertLess(self.instructions(r, "sh"), 5_000_000)
        self.assertIn("trace_children = false", r.bench("exec")["error"])

    def test_no_two_benchmarks_share_a_file_whatever_their_names(self):
        suite = self.write_script("suite.sh", 'case "$1" in\n  --list) echo col ;;\n'
                            '  --run) i=0; while [ $i -lt 300 ]; do i=$((i+1)); done ;;\nesac\n')
        self.write_config(f'[[suite]]\nbinary = "{suite}"\ntool = "cachegrind"\n' +
                          bench("col.calibrate", [TESTPROG, "loop", "10"]) +
                          bench("X", [TESTPROG, "loop", "10"], "heap = true\n") +
                          bench("X.heap", [TESTPROG, "loop", "20"]))
        r = self.run_cibench("--jobs", "2")
        self.assertExit(r, 0)
        seen = {}
        for b in r.json["benchmarks"]:
            self.assertTrue(b["files"], b["name"])
            for f in b["files"]:
                self.assertNotIn(f, seen, f"{f} is both {seen.get(f)}'s and {b['name']}'s")
                seen[f] = b["name"]
                self.assertTrue(os.path.isfile(os.path.join(self.dir, "out", f)), f)

    def test_work_before_an_exec_is_said_to_be_uncounted(self):
        # Valgrind writes no counts for a program image that execs: the figures start at the exec,
        # and the report says so instead of passing the work over in silence.
        self.write_config(f'[[benchmark]]\nname = "b"\ncommand = ["/bin/sh", "-c", "exec /bin/true"]\n')
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertEqual(r.bench("b")["uncounted_before_exec"], ["/bin/true"])
        self.assertIn("not counted: a process became `/bin/true` by exec", r.stdout)
        # A sharded gate says it too: merge reads it back from the shard.
        shard = self.run_cibench("--shard", "1/1", out=os.path.join(self.dir, "shard"))
        merged = subprocess.run([CIBENCH, "merge", os.path.join(self.dir, "shard"), "--out", os.path.join(self.dir, "merged")],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(merged.returncode, 0, merged.stderr)
        self.assertIn("not counted: a process became `/bin/true` by exec", merged.stdout)

    def test_tiny_regions_under_cachegrind_are_measured_and_never_negative(self):
        # The smallest bodies: their run and calibration differ by a few misses at most, so a hit
        # count can come out just below 0; that is noise, floored, never an error.
        self.write_config(f'[[suite]]\nbinary = "{TESTSUITE}"\ntool = "cachegrind"\n')
        r = self.run_cibench("--filter", "^(empty|two_functions)$")
        self.assertExit(r, 0)
        for name in ("empty", "two_functions"):
            for metric in ("l1_hits", "l2_hits", "ram_hits", "estimated_cycles"):
                self.assertGreaterEqual(r.bench(name)["metrics"][metric], 0, (name, metric))

    def test_a_calibration_that_does_far_more_than_its_run_is_an_error_not_floored(self):
        # The calibration touches 64 KiB twice (L1 misses that hit LL); the run only loops: a dip of
        # thousands of hits is no noise, it is a program that does not speak the protocol.
        suite = self.write_script("tiny.sh", 'case "$1" in\n  --list) echo tiny ;;\n'
                            '  --run) i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done ;;\n'
                            '  --calibrate) s=$(head -c 65536 /dev/zero | tr "\\\\0" a); echo ${#s}${#s} >/dev/null ;;\nesac\n')
        self.write_config(f'[[suite]]\nbinary = "{suite}"\ntool = "cachegrind"\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("impossible counts", r.bench("tiny")["error"])

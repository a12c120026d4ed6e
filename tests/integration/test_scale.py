"""At scale: reuse by content fingerprint, --verify and nondeterminism, --shard K/N and merge."""
import json
import os
import shutil
import subprocess
import unittest

from cibench_test import LIBRARY, compile_c, CIBENCH, TESTPROG, TESTSUITE, CiBenchTest, read_json

LOOP = f'[[benchmark]]\nname = "loop"\ncommand = ["{TESTPROG}", "loop", "2000"]\n'

PROGRAM = '#include <stdio.h>\nlong work(long);\nint main(void) { printf("%ld\\n", work(1000)); return 0; }\n'



class Reuse(CiBenchTest):
    def test_an_unchanged_benchmark_is_reused_and_no_reuse_measures_it_again(self):
        self.write_config(LOOP)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        baseline = read_json(os.path.join(self.dir, "baselines", "loop.json"))
        self.assertRegex(baseline["content_fingerprint"], "^[0-9a-f]{64}$")
        self.assertGreater(baseline["seconds"], 0)
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertTrue(r.bench("loop")["reused"])
        self.assertEqual(r.bench("loop")["files"], [])
        self.assertEqual(r.json["reused"], 1)
        self.assertIn("1 reused", r.stdout)
        measured = self.run_cibench("--no-reuse")
        self.assertExit(measured, 0)
        self.assertNotIn("reused", measured.bench("loop"))
        self.assertEqual(measured.bench("loop")["metrics"], r.bench("loop")["metrics"])
        self.assertTrue(os.path.exists(os.path.join(self.dir, "out", "loop.cachegrind.out")))

    def test_a_changed_shared_library_is_not_reused(self):
        lib = os.path.join(self.dir, "lib")
        compile_c(lib, "work", LIBRARY, "-DFACTOR=1", "-shared", "-fPIC", "-o", "libwork.so")
        compile_c(lib, "prog", PROGRAM, "-o", "prog", f"-L{lib}", "-lwork", f"-Wl,-rpath,{lib}")
        self.write_config(f'[[benchmark]]\nname = "uses_lib"\ncommand = ["{lib}/prog"]\n'
                          '[benchmark.thresholds]\nfail = { instructions = "1%" }\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.assertTrue(self.run_cibench().bench("uses_lib").get("reused"))
        # Only the library changes: the program's own file is untouched.
        compile_c(lib, "work", LIBRARY, "-DFACTOR=3", "-shared", "-fPIC", "-o", "libwork.so")
        r = self.run_cibench()
        self.assertExit(r, 1)
        self.assertNotIn("reused", r.bench("uses_lib"))
        self.assertEqual(r.bench("uses_lib")["status"], "fail")
        self.assertGreater(r.bench("uses_lib")["metrics"]["Ir"], r.bench("uses_lib")["baseline"]["Ir"])

    def test_the_same_code_built_in_another_folder_is_reused(self):
        source = PROGRAM.replace("long work(long);\n", "") .replace("work(1000)", "(long)getchar()")
        compile_c(os.path.join(self.dir, "checkout-a"), "prog", source, "-o", "prog")
        self.write_config(f'[[benchmark]]\nname = "p"\ncommand = ["{self.dir}/checkout-a/prog"]\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        other = os.path.join(self.dir, "a-much-longer-folder-for-checkout-b")
        compile_c(other, "prog", source, "-o", "prog")
        with open(os.path.join(self.dir, "checkout-a", "prog"), "rb") as a, open(os.path.join(other, "prog"), "rb") as b:
            self.assertNotEqual(a.read(), b.read())  # the debug info names the folder
        self.write_config(f'[[benchmark]]\nname = "p"\ncommand = ["{other}/prog"]\n')
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertTrue(r.bench("p").get("reused"))

    def test_a_declared_input_file_is_in_the_fingerprint(self):
        data = os.path.join(self.dir, "input.txt")
        with open(data, "w") as f:
            f.write("one\n")
        self.write_config(LOOP + 'inputs = ["input.txt"]\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.assertTrue(self.run_cibench().bench("loop").get("reused"))
        with open(data, "w") as f:
            f.write("two\n")
        self.assertNotIn("reused", self.run_cibench().bench("loop"))


class DefaultTools(CiBenchTest):
    def test_regions_are_measured_by_callgrind_and_whole_programs_by_cachegrind(self):
        self.write_config(LOOP.replace('"loop"', '"whole"', 1) + f'[[suite]]\nbinary = "{TESTSUITE}"\n')
        r = self.run_cibench("--filter", "^(whole|two_functions)$")
        self.assertExit(r, 0)
        self.assertEqual(r.bench("whole")["tool"], "cachegrind")
        self.assertEqual(r.bench("two_functions")["tool"], "callgrind")
        self.assertFalse(os.path.exists(os.path.join(self.dir, "out", "two_functions+calibrate.cachegrind.out")))


class Nondeterminism(CiBenchTest):
    def test_verify_catches_a_workload_that_reads_the_clock(self):
        self.write_config(f'[[benchmark]]\nname = "clock"\ncommand = ["{TESTPROG}", "clock"]\n' + LOOP)
        r = self.run_cibench("--verify")
        self.assertExit(r, 2)
        self.assertEqual(r.bench("clock")["status"], "nondeterministic")
        self.assertTrue(any(e.startswith("Ir ") for e in r.bench("clock")["unstable_events"]), r.bench("clock"))
        self.assertEqual(r.bench("loop")["status"], "new")
        self.assertIn("nondeterministic", r.stdout)

    def test_a_verified_run_says_so(self):
        self.write_config(LOOP)
        r = self.run_cibench("--verify")
        self.assertExit(r, 0)
        self.assertIs(r.json["verified"], True)
        self.assertIn("verified (--verify): every benchmark that ran was measured twice, every event the same", r.stdout)
        r = self.run_cibench()
        self.assertIs(r.json["verified"], False)
        self.assertNotIn("verified", r.stdout)

    def test_the_baselines_fingerprint_with_other_counts_is_nondeterministic(self):
        self.write_config(LOOP)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        path = os.path.join(self.dir, "baselines", "loop.json")
        baseline = read_json(path)
        baseline["metrics"]["Ir"] -= 1
        baseline["metrics"]["instructions"] -= 1
        with open(path, "w") as f:
            json.dump(baseline, f)
        r = self.run_cibench("--no-reuse")
        self.assertExit(r, 2)
        self.assertEqual(r.bench("loop")["status"], "nondeterministic")
        self.assertEqual(len(r.bench("loop")["unstable_events"]), 1)
        self.assertIn("Ir", r.bench("loop")["unstable_events"][0])


class ShardAndMerge(CiBenchTest):
    def config(self, regressed_loops):
        return (f'[[benchmark]]\nname = "regressed"\ncommand = ["{TESTPROG}", "loop", "{regressed_loops}"]\n'
                f'[benchmark.thresholds]\nfail = {{ instructions = "1%" }}\n'
                f'[[benchmark]]\nname = "broken"\ncommand = ["{TESTPROG}", "fail"]\n'
                + "".join(f'[[benchmark]]\nname = "steady{i}"\ncommand = ["{TESTPROG}", "loop", "{1000 + i}"]\n'
                          for i in range(5))
                + '[[compare]]\nname = "steady"\nbaseline = "steady0"\ncandidate = "steady4"\n')

    def merge(self, *paths, out=None):
        out = out or os.path.join(self.dir, "merged")
        proc = subprocess.run([CIBENCH, "merge", *paths, "--out", out], capture_output=True, text=True, timeout=300)
        path = os.path.join(out, "results.json")
        return proc, read_json(path) if os.path.isfile(path) else None

    def without_timings(self, results):
        return [{k: v for k, v in b.items() if k != "seconds"} for b in results["benchmarks"]]

    def test_merged_shards_give_what_one_run_gives(self):
        self.write_config(self.config(2000))
        self.run_cibench("--update-baselines")
        # The regression, weighed heaviest, has a shard of its own; the error lands in another.
        path = os.path.join(self.dir, "baselines", "regressed.json")
        baseline = read_json(path)
        baseline["seconds"] = 100
        with open(path, "w") as f:
            json.dump(baseline, f)
        self.write_config(self.config(2500))
        whole = self.run_cibench(out=os.path.join(self.dir, "whole"))
        self.assertExit(whole, 2)
        self.assertEqual(whole.bench("regressed")["status"], "fail")
        self.assertEqual(whole.bench("broken")["status"], "error")
        for n in (1, 2, 3):
            outs, members = [], {}
            for k in range(1, n + 1):
                out = os.path.join(self.dir, f"n{n}-shard{k}")
                part = self.run_cibench("--shard", f"{k}/{n}", out=out)
                outs.append(out)
                for b in part.json["benchmarks"]:
                    members.setdefault(b["name"], []).append(k)
            self.assertEqual(sorted(members), sorted(b["name"] for b in whole.json["benchmarks"]))
            self.assertTrue(all(len(shards) == 1 for shards in members.values()), members)
            if n > 1:
                self.assertNotEqual(members["regressed"], members["broken"])
            proc, merged = self.merge(*reversed(outs), out=os.path.join(self.dir, f"merged{n}"))
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertEqual(self.without_timings(merged), self.without_timings(whole.json))
            self.assertEqual(merged["exit_code"], whole.json["exit_code"])
            self.assertEqual(merged["counts"], whole.json["counts"])
            self.assertEqual(merged["comparisons"], whole.json["comparisons"])
            self.assertIn("FAIL: over the 1% limit", proc.stdout)
            self.assertIn("1 fail", proc.stdout)

    def test_an_empty_shard_is_an_error_not_the_whole_run(self):
        self.write_config(self.config(2000))
        r = self.run_cibench("--shard", "")
        self.assertExit(r, 2)
        self.assertIn("--shard '' must be K/N", r.stderr)

    def test_merge_refuses_a_missing_a_doubled_or_a_foreign_shard(self):
        self.write_config(self.config(2000))
        one, two = os.path.join(self.dir, "s1"), os.path.join(self.dir, "s2")
        self.run_cibench("--shard", "1/2", out=one)
        self.run_cibench("--shard", "2/2", out=two)
        proc, _ = self.merge(one)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("shard 2/2 missing", proc.stderr)
        proc, _ = self.merge(one, one)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("shard 1/2 is given twice", proc.stderr)
        self.write_config(self.config(2000) + "# another config\n")
        self.run_cibench("--shard", "2/2", out=two)
        proc, _ = self.merge(one, two)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("configs", proc.stderr)
        whole = os.path.join(self.dir, "whole")
        self.run_cibench(out=whole)
        proc, _ = self.merge(whole)
        self.assertIn("not the result of `ci-bench run --shard K/N`", proc.stderr)


if __name__ == "__main__":
    unittest.main()

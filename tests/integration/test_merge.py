"""`ci-bench merge` trusts nothing a shard's results.json says that it can check: the verdicts are
judged again from the counts, the history's failure and the byte thresholds survive, and neither a
shard's own file nor shards of another driver build can end up in the merged result."""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import unittest

from cibench_test import CIBENCH, HEAPPROG, TESTPROG, TESTSUITE, CiBenchTest, read_json

BENCHMARKS = "".join(f'[[benchmark]]\nname = "loop{i}"\ncommand = ["{TESTPROG}", "loop", "{1000 + i}"]\n'
                     for i in range(4))
THRESHOLDS = '[thresholds]\nfail = { instructions = "1%" }\n'


def write_json(path, document):
    with open(path, "w") as f:
        json.dump(document, f)


class Merge(CiBenchTest):
    def shards(self, *args):
        """Both shards of a two-way run, each in its own folder."""
        outs = []
        for k in (1, 2):
            out = os.path.join(self.dir, f"shard{k}")
            self.run_cibench("--shard", f"{k}/2", *args, out=out)
            outs.append(out)
        return outs

    def merge(self, *paths, out=None):
        out = out or os.path.join(self.dir, "merged")
        proc = subprocess.run([CIBENCH, "merge", *paths, "--out", out], capture_output=True, text=True, timeout=300)
        path = os.path.join(out, "results.json")
        return proc, read_json(path) if os.path.isfile(path) else None

    def edit_entry(self, shard, edit):
        """Changes the first benchmark entry of a shard's results.json; returns its name."""
        path = os.path.join(shard, "results.json")
        results = read_json(path)
        edit(results["benchmarks"][0])
        write_json(path, results)
        return results["benchmarks"][0]["name"]

    def test_an_out_folder_that_is_a_shard_is_refused_and_the_shard_kept(self):
        self.write_config(BENCHMARKS)
        one, two = self.shards()
        for out in (one, os.path.join(one, ".")):
            with open(os.path.join(one, "results.json"), "rb") as f:
                before = f.read()
            proc, _ = self.merge(os.path.join(one, "results.json"), two, out=out)
            self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
            self.assertIn(f"--out {out}", proc.stderr)
            self.assertIn("shard's own results.json", proc.stderr)
            with open(os.path.join(one, "results.json"), "rb") as f:
                self.assertEqual(f.read(), before)
        proc, merged = self.merge(one, two)  # and elsewhere, the same shards merge
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(len(merged["benchmarks"]), 4)

    def test_a_shards_history_error_is_kept_and_exits_2(self):
        self.write_config(BENCHMARKS)
        history = os.path.join(self.dir, "newer.sqlite")
        with sqlite3.connect(history) as db:
            db.execute("PRAGMA user_version = 99")  # a history of a newer ci-bench: this one cannot write it
        one, two = self.shards("--history", history)
        self.assertIn("history_error", read_json(os.path.join(one, "results.json")))
        proc, merged = self.merge(one, two)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertEqual(merged["exit_code"], 2)
        self.assertIn(os.path.join(one, "results.json"), merged["history_error"])
        self.assertIn("newer ci-bench", merged["history_error"])
        self.assertIn("not recorded in the history (exit 2)", proc.stdout)

    def test_a_shard_that_contradicts_itself_is_refused_naming_the_file_and_benchmark(self):
        """Each entry is judged again from its counts, baseline and limits; a claim they do not make,
        a derived count that does not follow from its events, a negative count or a key written
        twice is an edited or damaged file: the merge stops (exit 2) and its results.json says why."""
        self.write_config(BENCHMARKS + THRESHOLDS)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        one, two = self.shards()
        pristine = read_json(os.path.join(one, "results.json"))

        def claims_fail(entry):
            entry["status"] = "fail"
            entry["metric_status"] = {"instructions": "fail"}

        def instructions_alone(entry):
            entry["metrics"]["instructions"] += 1

        def negative(entry):
            entry["metrics"]["Ir"] = entry["metrics"]["instructions"] = -5
        cases = [(claims_fail, "says 'fail', but its counts, baseline and limits make it 'pass'"),
                 (instructions_alone, ".metrics.instructions: does not follow from the events beside it"),
                 (negative, ".metrics.Ir: is -5: it cannot be negative")]
        for edit, message in cases:
            write_json(os.path.join(one, "results.json"), pristine)
            name = self.edit_entry(one, edit)
            proc, merged = self.merge(one, two)
            self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
            self.assertIn(os.path.join(one, "results.json"), proc.stderr)
            self.assertIn(message, proc.stderr)
            self.assertIn(name, proc.stderr)
            self.assertIn(message, merged["error"])  # no verdict left behind: the merged file says why
        # A key twice: nlohmann would keep the last, Python's loader refuses; so does the driver.
        text = json.dumps(pristine).replace('"status": ', '"status": "fail", "status": ', 1)
        with open(os.path.join(one, "results.json"), "w") as f:
            f.write(text)
        proc, merged = self.merge(one, two)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertIn("the key 'status' is in one object twice", proc.stderr)

    def test_a_link_in_a_shard_folder_is_not_copied_into_the_result(self):
        self.write_config(BENCHMARKS)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        one, two = self.shards("--no-reuse")  # measured, so that each has raw files
        stdout_file = read_json(os.path.join(one, "results.json"))["benchmarks"][0]["files"][0]
        os.remove(os.path.join(one, stdout_file))
        os.symlink("/etc/passwd", os.path.join(one, stdout_file))
        proc, merged = self.merge(one, two)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertIn("is not a regular file (a link?)", proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "merged", stdout_file)))

    def test_a_threshold_in_bytes_survives_the_merge(self):
        blob = os.path.join(self.dir, "blob")
        shutil.copy(TESTPROG, blob)  # an ELF file, whose size grows below by bytes appended
        self.write_config(BENCHMARKS + '[[artifact]]\nname = "blob"\npath = "blob"\n'
                          '[artifact.thresholds]\nfail = { file_bytes = "1000 B" }\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        with open(blob, "ab") as f:
            f.write(b"x" * 2000)
        whole = self.run_cibench(out=os.path.join(self.dir, "whole"))
        self.assertExit(whole, 1)
        self.assertIn("FAIL: up by more than 1000 B", whole.stdout)
        proc, merged = self.merge(*self.shards())
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("FAIL: up by more than 1000 B", proc.stdout)
        self.assertEqual(whole.bench("blob")["thresholds"]["file_bytes"], {"fail_bytes": 1000})
        self.assertEqual(next(b for b in merged["benchmarks"] if b["name"] == "blob")["thresholds"],
                         whole.bench("blob")["thresholds"])

    def test_merged_shards_are_the_unsharded_run_in_every_field_with_every_kind_of_threshold(self):
        """Through results.json's one reader and writer: a percent limit, a byte limit, a budget, the
        heap's default limits, a suite's benchmarks, a comparison, an error, a new benchmark."""
        blob = os.path.join(self.dir, "blob")
        shutil.copy(TESTPROG, blob)
        config = (THRESHOLDS + BENCHMARKS
                  + f'[[benchmark]]\nname = "budgeted"\ncommand = ["{TESTPROG}", "loop", "3000"]\n'
                  '[benchmark.thresholds]\nwarn = { instructions = "0.5%", Ir = "off" }\n'
                  '[benchmark.budget]\ninstructions = 10\n'
                  f'[[benchmark]]\nname = "heap"\ncommand = ["{HEAPPROG}", "10"]\nheap = true\n'
                  f'[[benchmark]]\nname = "broken"\ncommand = ["{TESTPROG}", "fail"]\n'
                  f'[[suite]]\nbinary = "{TESTSUITE}"\n'
                  '[[artifact]]\nname = "blob"\npath = "blob"\n'
                  '[artifact.thresholds]\nfail = { file_bytes = "1000 B", rodata_bytes = "5%" }\n'
                  '[[compare]]\nname = "loops"\nbaseline = "loop0"\ncandidate = "loop3"\n')
        self.write_config(config)
        self.assertExit(self.run_cibench("--update-baselines"), 2)  # broken has no baseline, the rest do
        self.write_config(config + f'[[benchmark]]\nname = "newcomer"\ncommand = ["{TESTPROG}", "loop", "5"]\n')
        with open(blob, "ab") as f:
            f.write(b"x" * 2000)
        whole = self.run_cibench("--no-reuse", out=os.path.join(self.dir, "whole"))
        self.assertExit(whole, 2)
        statuses = {b["name"]: b["status"] for b in whole.json["benchmarks"]}
        self.assertEqual((statuses["blob"], statuses["budgeted"], statuses["broken"], statuses["newcomer"]),
                         ("fail", "fail", "error", "new"))
        self.assertIn("heap_peak_bytes", whole.bench("heap")["thresholds"])
        proc, merged = self.merge(*self.shards("--no-reuse"))
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertNotIn("error", merged, merged.get("error"))  # the run's errors are its benchmarks', not the merge's

        def without_timings(document):
            """Timings apart, and the sandbox's random name that a workload's own stderr may print."""
            document = {k: v for k, v in document.items() if k != "seconds"}
            document["benchmarks"] = [{k: re.sub(r"/tmp/\.cibench-\w+", "SANDBOX", v) if k == "error" else v
                                       for k, v in b.items() if k != "seconds"} for b in document["benchmarks"]]
            return document
        def differences(a, b, path=""):
            if isinstance(a, dict) and isinstance(b, dict):
                return [d for k in sorted(set(a) | set(b)) for d in differences(a.get(k), b.get(k), f"{path}.{k}")]
            if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
                return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
            return [] if a == b else [f"{path}: {a!r:.200} != {b!r:.200}"]
        self.assertEqual(differences(without_timings(merged), without_timings(whole.json)), [])
        # The terminal says the same of each benchmark (the run's line adds its time).
        indented = lambda text: [re.sub(r"/tmp/\.cibench-\w+", "SANDBOX", line) for line in text.splitlines()
                                 if line.startswith("  ")]
        self.assertEqual(indented(proc.stdout), indented(whole.stdout))

    def test_results_name_the_driver_build_and_shards_of_two_builds_are_refused(self):
        self.write_config(BENCHMARKS)
        one, two = self.shards()
        version = subprocess.run([CIBENCH, "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
        results = read_json(os.path.join(one, "results.json"))
        self.assertEqual(results["driver"]["version"], version)
        self.assertRegex(results["driver"]["build"], "^[0-9a-f]{64}$")
        proc, merged = self.merge(one, two)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(merged["driver"], results["driver"])
        results["driver"]["build"] = "0" * 64
        write_json(os.path.join(one, "results.json"), results)
        proc, _ = self.merge(one, two)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("driver builds", proc.stderr)
        del results["driver"]
        write_json(os.path.join(one, "results.json"), results)
        proc, _ = self.merge(one, two)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("driver builds", proc.stderr)


if __name__ == "__main__":
    unittest.main()

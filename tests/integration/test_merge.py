"""`ci-bench merge` trusts nothing a shard's results.json says that it can check: the verdicts are
judged again from the counts, the history's failure and the byte thresholds survive, and neither a
shard's own file nor shards of another driver build can end up in the merged result."""
import json
import os
import shutil
import sqlite3
import subprocess
import unittest

from cibench_test import CIBENCH, TESTPROG, CiBenchTest, read_json

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

    def test_every_entry_is_judged_again_from_its_counts(self):
        self.write_config(BENCHMARKS + THRESHOLDS)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        one, two = self.shards()

        def huge(entry):
            entry["metrics"]["Ir"] = entry["metrics"]["instructions"] = 10**15
        name = self.edit_entry(one, huge)
        proc, merged = self.merge(one, two)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        entry = next(b for b in merged["benchmarks"] if b["name"] == name)
        self.assertEqual(entry["status"], "fail")
        self.assertEqual(entry["metric_status"]["instructions"], "fail")
        self.assertEqual(merged["counts"]["fail"], 1)
        self.assertIn("FAIL: over the 1% limit", proc.stdout)
        self.assertIn("its counts make it 'fail'", proc.stderr)

        def negative(entry):
            entry["metrics"]["Ir"] = entry["metrics"]["instructions"] = -5
        self.edit_entry(one, negative)
        proc, merged = self.merge(one, two)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertIn(os.path.join(one, "results.json"), proc.stderr)
        self.assertIn(f"benchmark '{name}'", proc.stderr)
        self.assertIn("-5", proc.stderr)
        self.assertIn(name, merged["error"])

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

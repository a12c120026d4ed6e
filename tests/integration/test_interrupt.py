"""Interruption, orphans and leaks, on the real driver: a signal ends the run with an honest
results.json and nothing left behind; children die with the driver; a workload's escaped grandchild
does not outlive its run; a flood of output is capped; a hanging --list is cut at the suite's timeout."""
import json
import os
import signal
import subprocess
import sys
import time

from cibench_test import CIBENCH, CiBenchTest, TESTPROG, read_json

MISBEHAVE = os.environ["MISBEHAVE"]
REPORT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "report.py")
SLOW = 'command = ["{}", "loop", "100000000000"]\ntimeout = 300\n'.format(TESTPROG)  # hours under Valgrind


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
                found.append(int(entry))
    return found


def text_of(path):
    with open(path) as f:
        return f.read()


def alive(pid):
    """Running or stopped; a zombie (dead, not yet reaped by whoever adopted it) counts as dead."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


class Interrupt(CiBenchTest):
    def start_slow_run(self, out):
        """The driver on two slow benchmarks and a third that waits its turn, --jobs 2; returns it
        once both Valgrinds run, with their pids and sandboxes."""
        self.write_config(f'[[benchmark]]\nname = "slow.a"\n{SLOW}[[benchmark]]\nname = "slow.b"\n{SLOW}'
                          f'[[benchmark]]\nname = "queued"\n{SLOW}')
        driver = subprocess.Popen([CIBENCH, "run", "--config", os.path.join(self.dir, "ci-bench.toml"), "--out", out,
                                   "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: driver.poll() is None and driver.kill())
        deadline = time.monotonic() + 30
        while len(children_of(driver.pid)) < 2:
            self.assertLess(time.monotonic(), deadline, "the driver never started two Valgrinds")
            time.sleep(0.05)
        time.sleep(1)
        kids = children_of(driver.pid)
        self.assertEqual(len(kids), 2)
        sandboxes = [os.readlink(f"/proc/{k}/cwd") for k in kids]
        for s in sandboxes:
            self.assertRegex(s, r"^/tmp/\.cibench-")
        return driver, kids, sandboxes

    def interrupt(self, sig, code):
        out = os.path.join(self.dir, "out")
        os.makedirs(out)
        with open(os.path.join(out, "results.json"), "w") as f:  # an earlier run's green verdict
            json.dump({"schema": 1, "exit_code": 0, "counts": {"pass": 1},
                       "benchmarks": [{"name": "stale", "status": "pass", "metrics": {}}]}, f)
        driver, kids, sandboxes = self.start_slow_run(out)
        driver.send_signal(sig)
        stdout, stderr = driver.communicate(timeout=60)
        self.assertEqual(driver.returncode, code, f"stdout:\n{stdout}\nstderr:\n{stderr}")
        for k in kids:
            self.assertFalse(alive(k), f"Valgrind {k} outlived the interrupted driver")
        for s in sandboxes:
            self.assertFalse(os.path.exists(s), f"sandbox {s} left behind")
        with open(os.path.join(out, "results.json")) as f:
            results = json.load(f)
        self.assertIs(results["interrupted"], True)
        self.assertEqual(results["exit_code"], code)
        self.assertEqual(sorted(b["name"] for b in results["benchmarks"]), ["queued", "slow.a", "slow.b"])
        for b in results["benchmarks"]:
            self.assertEqual((b["status"], b["error_kind"]), ("error", "interrupted"), b)
        self.assertIn("not started", next(b for b in results["benchmarks"] if b["name"] == "queued")["error"])
        self.assertIn(f"interrupted by signal {sig.value}", stdout)
        self.assertIn("3 error", stdout)
        # The PR comment's loader accepts the file (schema) and its verdict says "interrupted".
        comment = subprocess.run([sys.executable, REPORT, os.path.join(out, "results.json")], capture_output=True,
                                 text=True, check=True).stdout
        self.assertIn("⏹️ **ci-bench: interrupted, results incomplete**", comment)
        self.assertIn("The run was interrupted", comment)

    def test_sigint_writes_results_removes_sandboxes_and_exits_130(self):
        self.interrupt(signal.SIGINT, 130)

    def test_sigterm_writes_results_removes_sandboxes_and_exits_143(self):
        self.interrupt(signal.SIGTERM, 143)

    def test_children_die_with_a_killed_driver(self):
        driver, kids, sandboxes = self.start_slow_run(os.path.join(self.dir, "out"))
        for s in sandboxes:  # SIGKILL leaves them: nothing of the driver runs to remove them
            self.addCleanup(subprocess.run, ["rm", "-rf", s])
        driver.kill()
        driver.communicate(timeout=10)
        deadline = time.monotonic() + 5
        while any(alive(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual([k for k in kids if alive(k)], [], "Valgrind outlived the driver's SIGKILL")


class Orphans(CiBenchTest):
    def test_a_grandchild_that_left_the_group_dies_with_its_run(self):
        marker = os.path.join(self.dir, "marker")
        # Counted as a process tree, a grandchild still running when the top process ends has no
        # counts yet: an error, never a pass without its work.
        self.write_config(f'[[benchmark]]\nname = "escape"\ncommand = ["{MISBEHAVE}", "escape", "{marker}"]\n')
        tree = self.run_cibench()
        self.assertExit(tree, 2)
        self.assertIn("still running when the top process ended", tree.bench("escape")["error"])
        # The top process alone: it passes, and the grandchild still dies with the run.
        self.write_config(f'[[benchmark]]\nname = "escape"\ncommand = ["{MISBEHAVE}", "escape", "{marker}"]\n'
                          'trace_children = false\n')
        start = time.monotonic()
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertLess(time.monotonic() - start, 30)  # no wait for the grandchild's copy of stdout
        self.assertGreater(r.bench("escape")["metrics"]["instructions"], 0)
        with open(os.path.join(self.dir, "out", "escape.stdout")) as f:
            grandchild = int(f.read())
        self.assertFalse(alive(grandchild), "the grandchild outlived the run")
        time.sleep(3)  # past the two seconds after which it would write
        self.assertFalse(os.path.exists(marker), "the escaped grandchild ran on after the run")


class Leaks(CiBenchTest):
    def test_a_flood_of_stdout_is_capped_and_noted_and_still_measured(self):
        self.write_config(f'[[benchmark]]\nname = "flood"\ncommand = ["{MISBEHAVE}", "flood", "100000000"]\n')
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertEqual(r.bench("flood")["status"], "new")
        self.assertGreater(r.bench("flood")["metrics"]["instructions"], 0)
        path = os.path.join(self.dir, "out", "flood.stdout")
        note = b"\n[ci-bench: output cut after 4194304 bytes; 95805696 more bytes were discarded]\n"
        self.assertEqual(os.path.getsize(path), 4194304 + len(note))
        with open(path, "rb") as f:
            f.seek(4194304)
            self.assertEqual(f.read(), note)

    def test_a_hanging_list_is_cut_at_the_suites_timeout(self):
        self.write_config(f'[[suite]]\nbinary = "{MISBEHAVE}"\ntimeout = 2\n'
                          f'[[benchmark]]\nname = "ok"\ncommand = ["{TESTPROG}", "loop", "100"]\n')
        start = time.monotonic()
        r = self.run_cibench()
        self.assertLess(time.monotonic() - start, 20)
        self.assertExit(r, 2)
        listing = r.bench("misbehave")
        self.assertEqual(listing["error_kind"], "setup")
        self.assertIn(f"suite {MISBEHAVE} --list timed out after 2.", listing["error"])
        self.assertEqual(r.bench("ok")["status"], "new")


class LockWait(CiBenchTest):
    """A run waiting for a folder another run holds (--out, the baselines, merge's --out) stops at once
    on a signal, exits 128 + the signal, and writes nothing into the folder the other run holds."""

    def start_holder(self, out):
        """A real run that holds the folder `out` for about eight seconds, then passes."""
        config = self.write_config('[[benchmark]]\nname = "sleeper"\ncommand = ["/bin/sleep", "8"]\n')
        holder = subprocess.Popen([CIBENCH, "run", "--config", config, "--out", out],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: holder.poll() is None and holder.kill())
        deadline = time.monotonic() + 30
        while not children_of(holder.pid):  # Valgrind runs: the holder has its lock
            self.assertLess(time.monotonic(), deadline, "the holder never started Valgrind")
            time.sleep(0.05)
        return holder

    def signal_waiter(self, argv, sig, holder):
        """Starts `argv`, signals it once it says it waits for the holder's lock; returns its stderr
        once it has exited, which must be at once, while the holder still runs."""
        log = os.path.join(self.dir, "waiter.stderr")
        with open(log, "w") as f:
            waiter = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=f)
        self.addCleanup(lambda: waiter.poll() is None and waiter.kill())
        deadline = time.monotonic() + 30
        while "waiting for another ci-bench run" not in text_of(log):
            self.assertIsNone(waiter.poll(), "the second run did not wait for the lock")
            self.assertLess(time.monotonic(), deadline, "the second run never waited for the lock")
            time.sleep(0.05)
        waiter.send_signal(sig)
        try:
            waiter.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.fail(f"{signal.Signals(sig).name} did not stop a run waiting for a lock")
        stderr = text_of(log)
        self.assertIsNone(holder.poll(), "the holder finished first: the test proves nothing")
        self.assertEqual(waiter.returncode, 128 + sig, stderr)
        self.assertIn("interrupted while waiting for the", stderr)
        return stderr

    def assert_holder_verdict_stands(self, holder, out):
        _, stderr = holder.communicate(timeout=120)
        self.assertEqual(holder.returncode, 0, stderr)
        results = read_json(os.path.join(out, "results.json"))
        self.assertEqual(results["exit_code"], 0)
        self.assertNotIn("interrupted", results)
        self.assertEqual([b["name"] for b in results["benchmarks"]], ["sleeper"])

    def test_ctrl_c_stops_a_run_waiting_for_the_out_folder_and_leaves_the_other_runs_results(self):
        out = os.path.join(self.dir, "out")
        holder = self.start_holder(out)
        self.signal_waiter([CIBENCH, "run", "--config", os.path.join(self.dir, "ci-bench.toml"), "--out", out],
                           signal.SIGINT, holder)
        self.assertFalse(os.path.exists(os.path.join(out, "results.json")))  # the holder's to write, not yet written
        self.assert_holder_verdict_stands(holder, out)

    def test_sigterm_stops_a_run_waiting_for_the_baseline_folder(self):
        held = os.path.join(self.dir, "held")  # the holder's --out is the waiter's baseline folder: one lock
        holder = self.start_holder(held)
        other = os.path.join(self.dir, "other")
        os.makedirs(other)
        config = self.write_config(f'baseline_dir = "{held}"\n[[benchmark]]\nname = "quick"\n'
                                   f'command = ["{TESTPROG}", "loop", "1000"]\n', other)
        mine = os.path.join(other, "out")
        stderr = self.signal_waiter([CIBENCH, "run", "--config", config, "--out", mine, "--update-baselines"],
                                    signal.SIGTERM, holder)
        self.assertIn("baseline folder", stderr)
        self.assertEqual(read_json(os.path.join(mine, "results.json"))["exit_code"], 143)  # its own folder: said there
        self.assertFalse(os.path.exists(os.path.join(held, "quick.json")))
        self.assert_holder_verdict_stands(holder, held)

    def test_ctrl_c_stops_a_merge_waiting_for_its_out_folder(self):
        out = os.path.join(self.dir, "out")
        holder = self.start_holder(out)
        self.signal_waiter([CIBENCH, "merge", os.path.join(self.dir, "shard-1"), os.path.join(self.dir, "shard-2"),
                            "--out", out], signal.SIGINT, holder)
        self.assertFalse(os.path.exists(os.path.join(out, "results.json")))
        self.assert_holder_verdict_stands(holder, out)

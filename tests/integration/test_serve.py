"""Served runs: one Valgrind start per suite, a forked child per benchmark. A benchmark counts the
same whichever others run with it and in whatever order; a child's crash or hang is its own error."""
import json
import os

from cibench_test import CiBenchTest, TESTSUITE, read_json

BIN = os.path.join(os.environ["CIBENCH_BUILD_DIR"], "bin")
SERVESUITE = os.environ["SERVESUITE"]
# Every suite of the catalogue and the tests' own, less consensus.retrieval.json (10 s alone) and
# testsuite's `twice` (an error on purpose).
SUITES = [os.path.join(BIN, s) for s in ("sorting", "hashing", "storage", "text", "scheduling", "instrumentation")] + [TESTSUITE]
EXCLUDE = r"^(?!consensus[.]retrieval[.]json$|twice$)"


class Serve(CiBenchTest):
    def suites_config(self, fork=True):
        return self.write_config(f'baseline_dir = "{self.dir}/baselines"\n' + "".join(
            f'[[suite]]\nbinary = "{s}"\n' + ("" if fork else "fork = false\n") for s in SUITES))

    def counts(self, *args, fork=True):
        self.suites_config(fork)
        r = self.run_cibench("--no-reuse", *args)
        self.assertEqual(r.code, 0, r.stdout + r.stderr)
        return {b["name"]: b["metrics"] for b in r.json["benchmarks"]}, r

    def test_a_benchmark_counts_the_same_alone_among_others_in_reverse_order_and_in_a_process_of_its_own(self):
        full, r = self.counts("--filter", EXCLUDE, "--jobs", "2")
        self.assertGreaterEqual(len(full), 30)
        self.assertNotIn("one process per benchmark", r.stderr)
        # Every other benchmark, one job: other neighbours in each served run.
        names = sorted(full)
        alternate = "^(" + "|".join(n.replace(".", "[.]") for n in names[::2]) + ")$"
        filtered, _ = self.counts("--filter", alternate, "--jobs", "1")
        self.assertEqual(filtered, {n: full[n] for n in names[::2]})
        # Reversed: baselines whose recorded seconds order every suite's benchmarks the other way.
        self.counts("--filter", EXCLUDE, "--update-baselines")
        baselines = os.path.join(self.dir, "baselines")
        order = []
        for rank, f in enumerate(sorted(os.listdir(baselines))):
            path = os.path.join(baselines, f)
            b = read_json(path)
            b["seconds"] = float(rank + 1)
            order.append(b["benchmark"])
            with open(path, "w") as out:
                json.dump(b, out)
        reversed_counts, r = self.counts("--filter", EXCLUDE, "--jobs", "1")
        self.assertEqual(reversed_counts, full)
        measured = [line.split("] ")[1].split(" (")[0] for line in r.stderr.splitlines() if line.startswith("  [")]
        self.assertEqual([n for n in measured if n.startswith("sort.")], [n for n in reversed(order) if n.startswith("sort.")])
        # One process per benchmark: exactly the same. The header runs every body on a stack at the
        # same offset in its page (call_page_aligned), so neither the served child's call path nor
        # --run NAME's argv moves a count.
        alone, _ = self.counts("--filter", EXCLUDE, fork=False)
        for name in full:
            self.assertEqual(alone[name], full[name], name)

    def serve_config(self, extra=""):
        return self.write_config(f'baseline_dir = "{self.dir}/baselines"\n[[suite]]\nbinary = "{SERVESUITE}"\n{extra}')

    def test_a_crash_or_a_hang_is_that_benchmarks_error_and_the_others_still_count(self):
        self.serve_config("timeout = 3\n")
        alone = self.run_cibench("--filter", "^ok[.]large$")
        self.assertExit(alone, 0)
        r = self.run_cibench("--filter", "^(ok[.]small|crash|hang|ok[.]large)$", "--jobs", "1")
        self.assertExit(r, 2)
        self.assertEqual(r.bench("crash")["status"], "error")
        self.assertEqual(r.bench("crash")["error_kind"], "crash")
        self.assertIn("killed by signal 11", r.bench("crash")["error"])
        self.assertIn("Process terminating", r.bench("crash")["error"])
        self.assertEqual(r.bench("hang")["error_kind"], "timeout")
        self.assertIn("timed out after 3 s", r.bench("hang")["error"])
        for name in ("ok.small", "ok.large"):
            self.assertEqual(r.bench(name)["status"], "new")
        self.assertEqual(r.bench("ok.large")["metrics"], alone.bench("ok.large")["metrics"])
        self.assertEqual(r.bench("ok.large")["metrics"]["Ir"], 1_800_005)  # 9 per iteration, as in its loop
        out = os.path.join(self.dir, "out")
        for name in ("ok.small", "ok.large", "crash"):  # each child's files under its benchmark's names
            self.assertTrue(os.path.isfile(os.path.join(out, f"{name}.valgrind.log")), name)
            self.assertTrue(os.path.isfile(os.path.join(out, f"{name}.stderr")), name)

    def test_a_served_body_sees_what_a_process_of_its_own_sees(self):
        # The serve loop's own first calls, its SIGALRM handler, its $PWD and the siblings' files
        # must not reach a body: each would move a count or fail a benchmark (a hostile tester's cases).
        self.serve_config()
        served = self.run_cibench("--filter", "^(sees[.].*|ok[.]large)$", "--jobs", "1", "--no-reuse")
        self.assertExit(served, 0)
        self.serve_config("fork = false\n")
        alone = self.run_cibench("--filter", "^(sees[.].*|ok[.]large)$", "--jobs", "1", "--no-reuse")
        self.assertExit(alone, 0)
        for b in served.json["benchmarks"]:
            self.assertEqual(b["metrics"], alone.bench(b["name"])["metrics"], b["name"])
        self.assertLess(served.bench("sees.read")["metrics"]["Ir"], 100_000)  # found no shared.txt
        self.assertLess(served.bench("sees.alarm")["metrics"]["Ir"], 100_000)  # SIGALRM's default back

    def test_an_unchanged_served_suite_is_reused(self):
        self.serve_config()
        self.assertExit(self.run_cibench("--filter", "^(ok[.]|sees[.]pwd$)", "--update-baselines"), 0)
        r = self.run_cibench("--filter", "^(ok[.]|sees[.]pwd$)")
        self.assertExit(r, 0)
        for name in ("ok.small", "ok.large", "sees.pwd"):
            self.assertTrue(r.bench(name).get("reused"), r.bench(name))
        # What reuse returned is what a served run measures now.
        fresh = self.run_cibench("--filter", "^(ok[.]|sees[.]pwd$)", "--no-reuse")
        self.assertExit(fresh, 0)
        for name in ("ok.small", "ok.large", "sees.pwd"):
            self.assertFalse(fresh.bench(name).get("reused"), name)
            self.assertEqual(r.bench(name)["metrics"], fresh.bench(name)["metrics"], name)

    def test_threads_running_before_main_fall_back_to_one_process_each_and_say_so(self):
        self.serve_config('env = { SERVESUITE_THREAD = "1" }\n')
        r = self.run_cibench("--filter", "^ok[.]")
        self.assertExit(r, 0)
        self.assertIn("one process per benchmark", r.stderr)
        self.assertIn("threads were already running", r.stderr)
        self.assertEqual(r.bench("ok.large")["metrics"]["Ir"], 1_800_005)

    def test_verify_serves_twice_and_catches_counts_that_do_not_repeat(self):
        self.serve_config()
        r = self.run_cibench("--filter", "^(ok[.]large|clock)$", "--verify")
        self.assertNotEqual(r.code, 0)
        self.assertFalse(r.bench("ok.large").get("unstable_events"))
        self.assertTrue(any(e.startswith("Ir ") for e in r.bench("clock")["unstable_events"]), r.bench("clock"))

    def test_fork_must_be_true_or_false(self):
        self.serve_config('fork = "no"\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("'fork' must be true or false", r.stderr)
        self.assertIn("ci-bench.toml:4", r.stderr)

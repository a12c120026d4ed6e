"""Heap metrics under DHAT (heap = true): gated like counts, with budgets in bytes, allocation sites
named, and exact figures for a suite benchmark's body."""
import json
import os
import re
import unittest

from cibench_test import CiBenchTest

HEAPPROG = os.environ["HEAPPROG"]
HEAPSUITE = os.environ["HEAPSUITE"]


def heap_config(kib, extra=""):
    return f"""
heap = true
[[benchmark]]
name = "buffers"
command = ["{HEAPPROG}", "{kib}"]
{extra}
"""


def dhat_summary(log):
    """DHAT's own totals from its Valgrind log: the oracle for the parser."""
    with open(log) as f:
        text = f.read().replace(",", "")
    total = re.search(r"Total:\s+(\d+) bytes in (\d+) blocks", text)
    peak = re.search(r"At t-gmax:\s+(\d+) bytes in (\d+) blocks", text)
    end = re.search(r"At t-end:\s+(\d+) bytes", text)
    return {"heap_total_bytes": int(total[1]), "heap_total_blocks": int(total[2]),
            "heap_peak_bytes": int(peak[1]), "heap_peak_blocks": int(peak[2]), "heap_end_bytes": int(end[1])}


class HeapGate(CiBenchTest):
    def test_whole_program_figures_are_dhats_own(self):
        self.write_config(heap_config(100))
        r = self.run_cibench()
        self.assertExit(r, 0)
        b = r.bench("buffers")
        oracle = dhat_summary(os.path.join(self.dir, "out", "buffers+heap.valgrind.log"))
        for metric, value in oracle.items():
            self.assertEqual(b["metrics"][metric], value, metric)
        # The 100 KiB buffer and the 1 KiB one are live together at the peak.
        self.assertGreaterEqual(b["metrics"]["heap_peak_bytes"], 101 * 1024)
        self.assertIn("buffers+heap.dhat.out", b["files"])
        self.assertIn("Heap peak:", r.stdout)
        self.assertRegex(r.stdout, r"Heap peak:\s+\d+(\.\d+)? KiB")

    def test_thirty_percent_more_peak_fails_and_names_the_site(self):
        self.write_config(heap_config(100))
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.write_config(heap_config(130))
        r = self.run_cibench()
        self.assertExit(r, 1)
        b = r.bench("buffers")
        self.assertEqual(b["status"], "fail")
        self.assertEqual(b["metric_status"]["heap_peak_bytes"], "fail")
        self.assertGreater(b["change_pct"]["heap_peak_bytes"], 25)
        self.assertEqual(b["allocation_site_metric"], "heap_peak_bytes")
        top = b["allocation_site_changes"][0]
        self.assertTrue(top["site"].startswith("hold_buffer"), top)
        self.assertEqual(top["change"], 30 * 1024)
        self.assertIn("Allocation sites that changed most (bytes live at the peak)", r.stdout)
        self.assertRegex(r.stdout, r"\+30\.0 KiB .*hold_buffer")
        self.assertIn("over the 25% limit", r.stdout)

    def test_ten_percent_more_peak_passes_with_a_warning(self):
        self.write_config(heap_config(100))
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.write_config(heap_config(112))
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertEqual(r.bench("buffers")["metric_status"]["heap_peak_bytes"], "warn")

    def test_a_budget_in_megabytes_fails_without_a_baseline(self):
        self.write_config(heap_config(2000, 'budget = { heap_peak_bytes = "1 MB" }'))
        r = self.run_cibench()
        self.assertExit(r, 1)
        b = r.bench("buffers")
        self.assertIsNone(b["baseline"])
        self.assertEqual(b["budget"]["heap_peak_bytes"], 1_000_000)
        self.assertEqual(b["metric_status"]["heap_peak_bytes"], "fail")
        self.assertIn("over its budget of 977 KiB", r.stdout)

        self.write_config(heap_config(500, 'budget = { heap_peak_bytes = "1 MB" }'))
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertRegex(r.stdout, r"\d+% of its budget of 977 KiB")

    def test_a_threshold_in_bytes_gates_the_rise_in_bytes(self):
        # +8 KiB on a ~110 KiB peak is +7 %: under the default 10 % warning, past a 4 KiB limit.
        limit = 'thresholds = { fail = { heap_peak_bytes = "4 KiB" } }'
        self.write_config(heap_config(100, limit))
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.write_config(heap_config(108, limit))
        r = self.run_cibench()
        self.assertExit(r, 1)
        b = r.bench("buffers")
        self.assertEqual(b["metric_status"]["heap_peak_bytes"], "fail")
        self.assertLess(b["change_pct"]["heap_peak_bytes"], 10)
        self.assertIn("FAIL: up by more than 4.00 KiB", r.stdout)
        self.write_config(heap_config(108, 'thresholds = { fail = { heap_peak_bytes = "16 KiB" } }'))
        self.assertExit(self.run_cibench(), 0)

    def test_a_bad_size_names_the_line_and_the_forms(self):
        self.write_config(heap_config(100, 'budget = { heap_peak_bytes = "15 parsecs" }'))
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertRegex(r.stderr, r"ci-bench.toml:6: budget.heap_peak_bytes must be a size in bytes: \"15 MB\"")


SUITE_CONFIG = f"""
[[suite]]
binary = "{HEAPSUITE}"
heap = true
"""

HEAP_METRICS = ("heap_total_bytes", "heap_total_blocks", "heap_peak_bytes", "heap_peak_blocks", "heap_end_bytes")

# Each body's figures, known from its source (tests/programs/heapsuite.cpp): total bytes, total
# blocks, peak bytes, peak blocks, bytes left at exit.
KNOWN = {
    "known.allocations": (4096 + 5 * 100 + 50, 7, 4096 + 5 * 100, 6, 50),
    "known.nothing": (0, 0, 0, 0, 0),
    "known.setup_bigger": (2000 + 1000 + 500, 3, 3000, 2, 0),
    "refused.frees_setup_after_peak": (1000 + 2000, 2, 2000, 1, 0),
    "family.realloc_chain": (100 + 200 + 50 + 400, 4, 400, 1, 0),
    "family.aligned": (256 + 100 + 40 + 100, 4, 496, 4, 40),
    "family.new_calloc_zero": (1000 + 80 + 300 + 1 + 20, 5, 1401, 5, 1),
    "family.realloc_setup_block": (10, 1, 10, 1, 0),
    "family.realloc_in_teardown": (10 + 5000, 2, 10, 1, 0),
}


class RegionHeap(CiBenchTest):
    def assertKnownFigures(self, r, name):
        self.assertEqual(tuple(r.bench(name)["metrics"][m] for m in HEAP_METRICS), KNOWN[name], name)

    def test_the_body_figures_are_counted_natively_and_exact(self):
        self.write_config(SUITE_CONFIG)
        r = self.run_cibench("--filter", "^(known|refused|family[.](realloc|aligned|new))")
        self.assertExit(r, 0)
        for name in KNOWN:
            self.assertKnownFigures(r, name)
            b = r.bench(name)
            self.assertIn("instructions", b["metrics"])  # the count run still ran
            # One native run with the counter; no DHAT run without a baseline to explain.
            self.assertIn(name + "+heap-count.heap-figures", b["files"])
            self.assertFalse([f for f in b["files"] if ".dhat.out" in f], b["files"])
            self.assertNotIn("allocation_sites", b)

    def test_every_figure_equals_dhats_under_verify(self):
        # --verify counts twice natively and once under DHAT (two runs where the body allocates);
        # every figure must agree, or the benchmark is reported as counted differently.
        self.write_config(SUITE_CONFIG)
        r = self.run_cibench("--verify", "--filter", "^(known|family[.](realloc|aligned|new))")
        self.assertExit(r, 0)
        self.assertIn("every event the same", r.stdout)
        for name in KNOWN:
            if name.startswith("refused"):
                continue
            self.assertKnownFigures(r, name)
            self.assertNotIn("unstable_events", r.bench(name))
        self.assertIn("known.setup_bigger+heap-peak.dhat.out", r.bench("known.setup_bigger")["files"])
        # A body that allocates nothing needs no ballast run.
        self.assertNotIn("known.nothing+heap-peak.dhat.out", r.bench("known.nothing")["files"])

    def test_a_thread_the_body_starts_is_not_the_body(self):
        # Its 5000-byte block is not counted, by either way (DHAT: the body's frame is not on its
        # stack); what starting it allocates on the body's thread is, the same both ways.
        self.write_config(SUITE_CONFIG)
        r = self.run_cibench("--verify", "--filter", "^family[.]thread$")
        b = r.bench("family.thread")
        self.assertLess(b["metrics"]["heap_total_bytes"], 5000)
        self.assertGreaterEqual(b["metrics"]["heap_total_bytes"], 10)
        # Its cache misses may differ between runs (two threads under Valgrind); its heap may not.
        self.assertFalse([e for e in b.get("unstable_events", []) if e.startswith("heap_")], b.get("unstable_events"))

    def test_verify_catches_a_heap_that_changes_from_run_to_run(self):
        self.write_config(SUITE_CONFIG)
        r = self.run_cibench("--verify", "--filter", "^varying[.]")
        self.assertExit(r, 2)
        events = r.bench("varying.pid_sized")["unstable_events"]
        self.assertTrue(any(e.startswith("heap_total_bytes") and "in the first native run" in e for e in events), events)

    def test_dhat_names_the_sites_when_baselines_are_written_and_when_figures_move(self):
        self.write_config(SUITE_CONFIG)
        r = self.run_cibench("--update-baselines", "--filter", "^(known[.]setup_bigger|refused[.])")
        self.assertExit(r, 0)
        bigger = r.bench("known.setup_bigger")
        self.assertIn("known.setup_bigger+heap-peak.dhat.out", bigger["files"])
        self.assertEqual(sum(site["peak_bytes"] for site in bigger["allocation_sites"].values()), 3000)
        self.assertTrue(any("CIBENCH_BENCHMARK(known.setup_bigger)" in s for s in bigger["allocation_sites"]))
        # DHAT cannot prove this body's peak (it frees setup's block after it): the figure is the
        # counter's, and the sites keep their totals but leave the peak out.
        refused = r.bench("refused.frees_setup_after_peak")
        self.assertKnownFigures(r, "refused.frees_setup_after_peak")
        self.assertEqual(sum(site["total_bytes"] for site in refused["allocation_sites"].values()), 3000)
        self.assertEqual(sum(site["peak_bytes"] for site in refused["allocation_sites"].values()), 0)

        # Unchanged: no DHAT run.
        r = self.run_cibench("--no-reuse", "--filter", "^known[.]setup_bigger$")
        self.assertExit(r, 0)
        self.assertFalse([f for f in r.bench("known.setup_bigger")["files"] if ".dhat.out" in f])
        # Reused from the baseline (same content fingerprint): the same figures the fresh count gave.
        fresh = r.bench("known.setup_bigger")["metrics"]
        reused = self.run_cibench("--filter", "^known[.]setup_bigger$")
        self.assertExit(reused, 0)
        self.assertTrue(reused.bench("known.setup_bigger").get("reused"), reused.bench("known.setup_bigger"))
        self.assertEqual(reused.bench("known.setup_bigger")["metrics"], fresh)

        # Moved (the baseline says 1000 bytes less): DHAT names the site that grew.
        path = os.path.join(self.dir, "baselines", "known.setup_bigger.json")
        with open(path) as f:
            baseline = json.load(f)
        baseline["metrics"]["heap_total_bytes"] -= 1000
        baseline["allocation_sites_total"] = {k: v - 1000 for k, v in baseline["allocation_sites_total"].items()}
        with open(path, "w") as f:
            json.dump(baseline, f)
        r = self.run_cibench("--no-reuse", "--filter", "^known[.]setup_bigger$")
        b = r.bench("known.setup_bigger")
        self.assertIn("known.setup_bigger+heap.dhat.out", b["files"])
        self.assertEqual(b["allocation_site_metric"], "heap_total_bytes")
        self.assertEqual(b["allocation_site_changes"][0]["change"], 1000, b["allocation_site_changes"])

    def test_a_rise_from_zero_names_its_site(self):
        # A baseline that allocated nothing has no sites, and that is complete: the site is new.
        self.write_config(SUITE_CONFIG)
        self.assertExit(self.run_cibench("--update-baselines", "--filter", "^known[.]allocations$"), 0)
        path = os.path.join(self.dir, "baselines", "known.allocations.json")
        with open(path) as f:
            baseline = json.load(f)
        for metric in HEAP_METRICS:
            baseline["metrics"][metric] = 0
        for key in ("allocation_sites_peak", "allocation_sites_total", "allocation_sites_complete", "content_fingerprint"):
            baseline.pop(key, None)
        with open(path, "w") as f:
            json.dump(baseline, f)
        r = self.run_cibench("--no-reuse", "--filter", "^known[.]allocations$")
        self.assertExit(r, 1)
        b = r.bench("known.allocations")
        top = b["allocation_site_changes"][0]
        self.assertEqual((top["before"], top["after"]), (0, 4596), top)
        self.assertIn("allocate(unsigned long)", top["site"])
        self.assertIn("Allocation sites that changed most", r.stdout)

    def test_a_body_that_forks_is_an_error_not_a_figure(self):
        self.write_config(SUITE_CONFIG)
        r = self.run_cibench("--filter", "^forks[.]")
        self.assertExit(r, 2)
        b = r.bench("forks.in_body")
        self.assertEqual(b["status"], "error")
        self.assertNotIn("heap_total_bytes", b.get("metrics") or {})
        self.assertIn("forked a process", b["error"])

    def test_a_suite_built_before_heap_count_is_told_to_rebuild(self):
        # An old suite answers --heap-count with its usage (exit 2).
        old_suite = os.path.join(self.dir, "old_suite.sh")
        with open(old_suite, "w") as f:
            f.write('#!/bin/sh\nif [ "$1" = --list ]; then echo one; exit 0; fi\n'
                    'if [ "$1" = --heap-count ]; then echo "usage: old" >&2; exit 2; fi\n'
                    'if [ "$1" = --run ]; then i=0; while [ $i -lt 200 ]; do i=$((i+1)); done; fi\nexit 0\n')
        os.chmod(old_suite, 0o755)
        self.write_config(f'[[suite]]\nbinary = "{old_suite}"\ntool = "cachegrind"\nheap = true\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("older than this ci-bench", r.bench("one")["error"])

    def test_heap_on_one_benchmark_of_a_suite(self):
        self.write_config(f"""
[[suite]]
binary = "{HEAPSUITE}"
[suite.benchmark."known.nothing"]
heap = true
""")
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertIn("heap_peak_bytes", r.bench("known.nothing")["metrics"])
        self.assertNotIn("heap_peak_bytes", r.bench("known.allocations")["metrics"])


if __name__ == "__main__":
    unittest.main()

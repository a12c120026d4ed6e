"""Heap metrics under DHAT (heap = true): gated like counts, with budgets in bytes, allocation sites
named, and exact figures for a suite benchmark's body."""
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


class RegionHeap(CiBenchTest):
    def test_the_body_figures_are_exact(self):
        self.write_config(f"""
[[suite]]
binary = "{HEAPSUITE}"
heap = true
""")
        r = self.run_cibench("--filter", "^known[.]")
        self.assertExit(r, 0)
        body = r.bench("known.allocations")["metrics"]
        self.assertEqual(body["heap_total_blocks"], 7)
        self.assertEqual(body["heap_total_bytes"], 4096 + 5 * 100 + 50)
        self.assertEqual(body["heap_peak_blocks"], 6)
        self.assertEqual(body["heap_peak_bytes"], 4096 + 5 * 100)
        self.assertEqual(body["heap_end_bytes"], 50)
        self.assertIn("instructions", body)  # the count run still ran
        nothing = r.bench("known.nothing")["metrics"]
        for metric in ("heap_total_bytes", "heap_total_blocks", "heap_peak_bytes", "heap_peak_blocks", "heap_end_bytes"):
            self.assertEqual(nothing[metric], 0, metric)
        sites = r.bench("known.allocations")["allocation_sites"]
        self.assertTrue(any("CIBENCH_BENCHMARK(known.allocations)" in s for s in sites), sites)
        # Setup's 100 000-byte block makes the process peak before the body: the body's own peak
        # still counts (3000 bytes in 2 blocks), found by the second, ballast, run.
        bigger = r.bench("known.setup_bigger")
        self.assertEqual(bigger["metrics"]["heap_total_bytes"], 2000 + 1000 + 500)
        self.assertEqual(bigger["metrics"]["heap_peak_bytes"], 3000)
        self.assertEqual(bigger["metrics"]["heap_peak_blocks"], 2)
        self.assertIn("known.setup_bigger+heap-peak.dhat.out", bigger["files"])
        self.assertEqual(sum(site["peak_bytes"] for site in bigger["allocation_sites"].values()), 3000)
        # A body that allocates nothing needs no ballast run.
        self.assertNotIn("known.nothing+heap-peak.dhat.out", r.bench("known.nothing")["files"])

    def test_a_peak_that_cannot_be_proven_is_an_error_not_a_figure(self):
        self.write_config(f"""
[[suite]]
binary = "{HEAPSUITE}"
heap = true
""")
        r = self.run_cibench("--filter", "^refused[.]")
        self.assertExit(r, 2)
        b = r.bench("refused.frees_setup_after_peak")
        self.assertEqual(b["status"], "error")
        self.assertNotIn("heap_peak_bytes", b.get("metrics") or {})
        self.assertIn("freed (or resized) blocks it did not allocate", b["error"])
        self.assertIn("refused.frees_setup_after_peak", r.stdout + r.stderr)

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

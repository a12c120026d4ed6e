"""Heap and size metrics in every place a result is read: results.json (checked against the schema),
the terminal, the PR comment, the HTML page, and each export (Bencher, github-action-benchmark, JUnit)."""
import json
import os
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

import jsonschema

from cibench_test import CiBenchTest

HEAPPROG = os.environ["HEAPPROG"]
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOLS = os.path.join(ROOT, "tools")


class HeapAndSizeReports(CiBenchTest):
    def config(self, kib):
        self.write_config(f"""
[[benchmark]]
name = "buffers"
command = ["{HEAPPROG}", "{kib}"]
heap = true

[[artifact]]
name = "heapprog.size"
path = "{HEAPPROG}"
""")

    def tool(self, script, *args):
        results = os.path.join(self.dir, "out", "results.json")
        proc = subprocess.run([sys.executable, os.path.join(TOOLS, script), results, *args],
                              capture_output=True, text=True, check=True)
        return proc.stdout

    def test_everywhere(self):
        self.config(100)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.config(130)
        r = self.run_cibench()
        self.assertExit(r, 1)
        with open(os.path.join(ROOT, "harness", "schema", "results.schema.json")) as f:
            jsonschema.validate(r.json, json.load(f))
        heap, size = r.bench("buffers"), r.bench("heapprog.size")
        self.assertEqual(heap["status"], "fail")
        self.assertEqual(size["status"], "pass")
        for metric in ("heap_total_bytes", "heap_total_blocks", "heap_peak_bytes", "heap_peak_blocks", "heap_end_bytes"):
            self.assertIn(metric, heap["metrics"])
        for metric in ("file_bytes", "text_bytes", "rodata_bytes", "data_bytes", "bss_bytes"):
            self.assertIn(metric, size["metrics"])
        self.assertIn("heapprog.size", r.stdout)
        self.assertIn("Code (.text):", r.stdout)
        self.assertIn("Heap peak:", r.stdout)

        comment = self.tool("report.py")
        self.assertIn("| buffers | Heap peak | 101 KiB | 131 KiB |", comment)  # the label and bytes of the metric table
        self.assertIn("the allocation sites that changed most (bytes live at the peak)", comment)
        self.assertIn("hold\\_buffer", comment)
        self.assertIn("\\+30\\.0 KiB", comment)
        self.assertIn("KiB", comment)
        html = self.tool("report.py", "--format", "html")
        self.assertIn("the allocation sites that changed most", html)

        bmf = json.loads(self.tool("export.py", "--format", "bmf"))
        self.assertEqual(bmf["buffers"]["heap-peak-bytes"]["value"], heap["metrics"]["heap_peak_bytes"])
        self.assertEqual(bmf["heapprog.size"]["text-bytes"]["value"], size["metrics"]["text_bytes"])
        gab = json.loads(self.tool("export.py", "--format", "gab"))
        by_name = {e["name"]: e for e in gab}
        self.assertEqual(by_name["buffers (heap_peak_bytes)"]["unit"], "bytes")
        self.assertEqual(by_name["buffers (heap_total_blocks)"]["unit"], "blocks")
        self.assertEqual(by_name["heapprog.size (text_bytes)"]["unit"], "bytes")
        junit = ET.fromstring(self.tool("export.py", "--format", "junit"))
        cases = {c.get("name"): c for c in junit.iter("testcase")}
        self.assertIn("heap_peak_bytes", cases["buffers"].find("failure").get("message"))
        self.assertIn("text_bytes", cases["heapprog.size"].find("system-out").text)


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""Exports a ci-bench results.json for the tools CI dashboards already read.

    tools/export.py build/ci-bench/results.json --format bmf   > bencher.json   # bencher run --file bencher.json
    tools/export.py build/ci-bench/results.json --format gab   > gab.json       # github-action-benchmark, tool: customSmallerIsBetter
    tools/export.py build/ci-bench/results.json --format junit > junit.xml      # any JUnit reader

bmf:   {"sort.longs.100k": {"instructions": {"value": 11587760}, "estimated_cycles": {"value": ...}}}
gab:   [{"name": "sort.longs.100k (instructions)", "unit": "instructions", "value": 11587760}, ...]
junit: one <testcase> per benchmark; a regression is a <failure>, a workload error an <error>.
"""
import argparse
import json
import re
import sys

from results_file import load_results
import xml.etree.ElementTree as ET

EXPORTED = ("instructions", "estimated_cycles", "l1_hits", "l2_hits", "ram_hits", "total_rw")
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


def bencher_metric_format(results):
    out = {}
    for b in results["benchmarks"]:
        metrics = b.get("metrics") or {}
        measures = {m: {"value": metrics[m]} for m in EXPORTED if m in metrics}
        if measures:
            out[b["name"]] = measures
    return json.dumps(out, indent=2, sort_keys=True) + "\n"


def github_action_benchmark(results):
    entries = []
    for b in results["benchmarks"]:
        metrics = b.get("metrics") or {}
        for m in ("instructions", "estimated_cycles"):
            if m in metrics:
                entry = {"name": f"{b['name']} ({m})", "unit": m.replace("_", " "), "value": metrics[m]}
                base = (b.get("baseline") or {}).get(m)
                if base is not None:
                    entry["extra"] = f"baseline {base}, status {b.get('status')}"
                entries.append(entry)
    return json.dumps(entries, indent=2) + "\n"


def junit(results):
    clean = lambda s: XML_INVALID.sub("", str(s))
    benchmarks = results["benchmarks"]
    failures = sum(b.get("status") == "fail" for b in benchmarks)
    errors = sum(b.get("status") == "error" for b in benchmarks)
    suites = ET.Element("testsuites", name="ci-bench", tests=str(len(benchmarks)), failures=str(failures), errors=str(errors))
    suite = ET.SubElement(suites, "testsuite", name="ci-bench", tests=str(len(benchmarks)), failures=str(failures),
                          errors=str(errors), skipped="0", time=f"{results.get('seconds', 0):.3f}")
    for b in benchmarks:
        case = ET.SubElement(suite, "testcase", classname="ci-bench", name=clean(b["name"]), time=f"{b.get('seconds', 0):.3f}")
        status = b.get("status")
        change = b.get("change_pct") or {}
        if status == "fail":
            worst = ", ".join(f"{m} {change.get(m, 0):+.3f}%" for m in (b.get("metric_status") or {}))
            ET.SubElement(case, "failure", message=clean(f"regression: {worst}"), type="regression").text = clean(
                json.dumps({"metrics": b.get("metrics"), "baseline": b.get("baseline")}, sort_keys=True))
        elif status == "error":
            first = (b.get("error") or "").strip().splitlines()[:1]
            ET.SubElement(case, "error", message=clean(first[0] if first else "error"), type="workload").text = clean(b.get("error", ""))
        else:
            ET.SubElement(case, "system-out").text = clean(f"status {status}; instructions {(b.get('metrics') or {}).get('instructions')}")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="results.json from `ci-bench run`")
    parser.add_argument("--format", choices=("bmf", "gab", "junit"), required=True)
    args = parser.parse_args()
    results = load_results(args.results, "export.py")
    render = {"bmf": bencher_metric_format, "gab": github_action_benchmark, "junit": junit}[args.format]
    sys.stdout.write(render(results))


if __name__ == "__main__":
    main()

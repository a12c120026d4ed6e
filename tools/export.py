#!/usr/bin/env python3
"""Exports a ci-bench results.json for the tools CI dashboards already read.

    tools/export.py build/ci-bench/results.json --format bmf   > bencher.json   # bencher run --file bencher.json
    tools/export.py build/ci-bench/results.json --format gab   > gab.json       # github-action-benchmark, tool: customSmallerIsBetter
    tools/export.py build/ci-bench/results.json --format junit > junit.xml      # any JUnit reader

bmf:   {"sort.longs.100k": {"instructions": {"value": 11587760}, "estimated-cycles": {"value": ...}}}
       every measure by the slug of its metric's name, '_' made '-': "l1-hits", "heap-peak-bytes", "text-bytes", ...
gab:   [{"name": "sort.longs.100k (instructions)", "unit": "instructions", "value": 11587760}, ...]
       and [{"name": "storage (heap_peak_bytes)", "unit": "bytes", "value": 48213}, ...]
junit: one <testcase> per benchmark; a regression is a <failure>, a workload error an <error>, a benchmark
       not judged (incomparable, nondeterministic) <skipped>; a run that did not finish adds an <error> case.
"""
import argparse
import json
import re
import sys

from results_file import load_results, metric_definitions
import xml.etree.ElementTree as ET



def exported(results, b):
    """(metric, its definition) for each metric of `b` that reports show (it has a label), in the
    driver's order (results.json's metric_definitions): raw Cachegrind events are not exported."""
    metrics = b.get("metrics") or {}
    return [(m, d) for m, d in metric_definitions(results).items() if d.get("label") and m in metrics]


def unit(metric, definition):
    """bytes or blocks for heap and size metrics, else the event counted ("estimated cycles")."""
    return definition["unit"] if definition["unit"] != "events" else metric.replace("_", " ")
# Counted but not judged against the baseline: neither a pass nor a regression.
NOT_JUDGED = {"incomparable": "not comparable: the baseline was measured with another toolchain",
              "nondeterministic": "nondeterministic: the same code measured different counts"}
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


def bencher_metric_format(results):
    out = {}
    for b in results["benchmarks"]:
        # Bencher names a measure by a slug, one naming for every metric: estimated-cycles, l1-hits,
        # heap-peak-bytes, text-bytes, ... (create them in Bencher; the byte ones with units bytes / blocks).
        measures = {m.replace("_", "-"): {"value": b["metrics"][m]} for m, d in exported(results, b)}
        if measures:
            out[b["name"]] = measures
    return json.dumps(out, indent=2, sort_keys=True) + "\n"


def github_action_benchmark(results):
    entries = []
    for b in results["benchmarks"]:
        for m, d in exported(results, b):
            if d["unit"] != "events" or m in ("instructions", "estimated_cycles"):
                entry = {"name": f"{b['name']} ({m})", "unit": unit(m, d), "value": b["metrics"][m]}
                base = (b.get("baseline") or {}).get(m)
                if base is not None:
                    entry["extra"] = f"baseline {base}, status {b.get('status')}"
                entries.append(entry)
    return json.dumps(entries, indent=2) + "\n"


def junit(results):
    clean = lambda s: XML_INVALID.sub("", str(s))
    benchmarks = results["benchmarks"]
    # A run that did not finish is one more failing case, so no JUnit reader can show it as green.
    run_problem = results.get("error") or ("the run was interrupted" if results.get("interrupted") else None)
    failures = sum(b["status"] == "fail" for b in benchmarks)
    errors = sum(b["status"] == "error" for b in benchmarks) + bool(run_problem)
    skipped = sum(b["status"] in NOT_JUDGED for b in benchmarks)
    tests = len(benchmarks) + bool(run_problem)
    suites = ET.Element("testsuites", name="ci-bench", tests=str(tests), failures=str(failures), errors=str(errors))
    suite = ET.SubElement(suites, "testsuite", name="ci-bench", tests=str(tests), failures=str(failures),
                          errors=str(errors), skipped=str(skipped), time=f"{results.get('seconds', 0):.3f}")
    if run_problem:
        case = ET.SubElement(suite, "testcase", classname="ci-bench", name="ci-bench run", time="0.000")
        first = run_problem.strip().splitlines()[:1]
        ET.SubElement(case, "error", message=clean(first[0] if first else "error"), type="run").text = clean(run_problem)
    for b in benchmarks:
        case = ET.SubElement(suite, "testcase", classname="ci-bench", name=clean(b["name"]), time=f"{b.get('seconds', 0):.3f}")
        status = b["status"]
        change = b.get("change_pct") or {}
        if status == "fail":
            worst = ", ".join(f"{m} {change.get(m) or 0:+.3f}%" for m in (b.get("metric_status") or {}))
            ET.SubElement(case, "failure", message=clean(f"regression: {worst}"), type="regression").text = clean(
                json.dumps({"metrics": b.get("metrics"), "baseline": b.get("baseline")}, sort_keys=True))
        elif status == "error":
            first = (b.get("error") or "").strip().splitlines()[:1]
            ET.SubElement(case, "error", message=clean(first[0] if first else "error"),
                          type=clean(b.get("error_kind", "workload"))).text = clean(b.get("error", ""))
        elif status in NOT_JUDGED:
            ET.SubElement(case, "skipped", message=clean(NOT_JUDGED[status]))
        else:
            metrics = b.get("metrics") or {}
            shown = [m for m, d in exported(results, b) if d.get("primary") or d["unit"] != "events"] or ["instructions"]
            ET.SubElement(case, "system-out").text = clean(f"status {status}; " +
                                                           "; ".join(f"{m} {metrics.get(m)}" for m in shown))
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

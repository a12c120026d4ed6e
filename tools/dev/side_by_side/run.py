#!/usr/bin/env python3
"""Times two functions with Google Benchmark and with `ci-bench time`, alternating, ROUNDS times
each, in one run, and prints each tool's median and spread.

    make && python3 tools/dev/side_by_side/run.py --rounds 3
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile

PAIRS = [("sort_longs_100k", "sort.longs.100k"), ("retry_exponential_backoff", "retry.exponential_backoff")]


def google_benchmark(binary, out):
    subprocess.run([binary, "--benchmark_repetitions=20", "--benchmark_min_time=0.1",
                    "--benchmark_report_aggregates_only=false", f"--benchmark_out={out}", "--benchmark_out_format=json"],
                   check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        runs = json.load(f)["benchmarks"]
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
    return {name: [r["real_time"] * scale[r["time_unit"]] for r in runs if r["name"] == name and r["run_type"] == "iteration"]
            for name, _ in PAIRS}


def cibench(binary, out):
    pattern = "^(" + "|".join(n.replace(".", r"\.") for _, n in PAIRS) + ")$"
    subprocess.run([binary, "time", "--filter", pattern, "--json", out], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out) as f:
        runs = json.load(f)["benchmarks"]
    return {name: [r["real_time"] for r in runs if r["name"] == name and r["run_type"] == "iteration"] for _, name in PAIRS}


def spread(samples):
    q = statistics.quantiles(samples, n=4, method="inclusive")
    return statistics.median(samples), q[2] - q[0], len(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    gb_bin = os.path.join(args.build, "bin", "google_benchmark_side_by_side")
    cb_bin = os.path.join(args.build, "bin", "ci-bench")
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(1, args.rounds + 1):
            gb = google_benchmark(gb_bin, os.path.join(tmp, "gb.json"))
            cb = cibench(cb_bin, os.path.join(tmp, "cb.json"))
            for gb_name, cb_name in PAIRS:
                m1, iqr1, n1 = spread(gb[gb_name])
                m2, iqr2, n2 = spread(cb[cb_name])
                print(f"round {round_} {cb_name:<26} google-benchmark median {m1 / 1e3:9.2f} us (IQR {iqr1 / 1e3:6.2f}, n={n1})"
                      f"   ci-bench time median {m2 / 1e3:9.2f} us (IQR {iqr2 / 1e3:6.2f}, n={n2})"
                      f"   ratio {m2 / m1:.3f}")


if __name__ == "__main__":
    main()

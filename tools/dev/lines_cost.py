#!/usr/bin/env python3
"""What per-line counts cost a gate run: two drivers (one built before lines, one after) measure the
same config with --no-reuse, alternately, REPEAT rounds each, in one session. Prints each one's
median and spread and the ratio of the medians.

    git worktree add /tmp/before-lines 7060bac && cmake -S /tmp/before-lines -B /tmp/before-lines/build \\
        -DCMAKE_BUILD_TYPE=Release -DCIBENCH_DRIVER_ONLY=ON && cmake --build /tmp/before-lines/build --target ci-bench
    python3 tools/dev/lines_cost.py /tmp/before-lines/build/bin/ci-bench build/bin/ci-bench --repeat 3

Both read the same config (default: this repository's ci-bench.toml) and baselines; counts are
checked equal, so the two measured the same thing.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def gate(driver, config, out):
    start = time.monotonic()
    proc = subprocess.run([driver, "run", "--no-reuse", "--config", config, "--out", out],
                          capture_output=True, text=True)
    seconds = time.monotonic() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{driver} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    with open(os.path.join(out, "results.json")) as f:
        counts = {b["name"]: b["metrics"].get("instructions") for b in json.load(f)["benchmarks"]}
    return seconds, counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--config", default=os.path.join(REPO, "ci-bench.toml"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            counts = {}
            for which in ("before", "after"):
                seconds, counts[which] = gate(getattr(args, which), args.config, os.path.join(tmp, which))
                times[which].append(seconds)
            if counts["before"] != counts["after"]:
                sys.exit("the two drivers counted differently: not the same measurement")
    for which, t in times.items():
        print(f"{which:7} median {statistics.median(t):7.2f} s  (min {min(t):.2f}, max {max(t):.2f})")
    print(f"after / before: {statistics.median(times['after']) / statistics.median(times['before']):.3f}")


if __name__ == "__main__":
    main()

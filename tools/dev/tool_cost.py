#!/usr/bin/env python3
"""Benchmarks the gate under Cachegrind (regions by calibration: two runs each) against Callgrind
(regions by client requests: one run each) on the same config, alternating, REPEAT times each.

    python3 tools/dev/tool_cost.py --repeat 3            # the repository's own ci-bench.toml
"""
import argparse
import statistics
import subprocess
import tempfile
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="ci-bench.toml")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ci-bench", default="build/bin/ci-bench")
    args = parser.parse_args()
    times = {"cachegrind": [], "callgrind": []}
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.repeat):
            for tool in times:
                start = time.monotonic()
                subprocess.run([args.ci_bench, "run", "--config", args.config, "--tool", tool, "--no-reuse", "--out", out],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
                times[tool].append(time.monotonic() - start)
    for tool, t in times.items():
        print(f"  --tool {tool:<11} mean {statistics.mean(t):6.2f} s  min {min(t):6.2f} s  max {max(t):6.2f} s  ({len(t)} runs)")
    print(f"  callgrind / cachegrind: {statistics.mean(times['callgrind']) / statistics.mean(times['cachegrind']):.2f}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmarks `ci-bench run --jobs N` against a sequential loop of the same raw Valgrind commands.

The two methods alternate, REPEAT times each, in one run, so machine load drifts equally on both.
Only plain [[benchmark]] commands are used (a suite's region needs two Valgrind runs each).

    python3 tools/dev/jobs_speedup.py docs/bench/six-plain.toml --jobs 2 --repeat 5
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib

GEOMETRY = ["--I1=32768,8,64", "--D1=32768,8,64", "--LL=8388608,16,64"]


def raw_commands(config_path, out_dir):
    with open(config_path, "rb") as f:
        config = tomllib.load(f)
    base = os.path.dirname(os.path.abspath(config_path))
    commands = []
    for i, bench in enumerate(config.get("benchmark", [])):
        program = bench["command"][0]
        if "/" in program:
            program = os.path.normpath(os.path.join(base, program))
        commands.append(["valgrind", "--tool=cachegrind", "--cache-sim=yes", *GEOMETRY,
                         f"--cachegrind-out-file={out_dir}/raw{i}.out", f"--log-file={out_dir}/raw{i}.log",
                         program, *bench["command"][1:]])
    return commands


def timed(fn):
    start = time.monotonic()
    fn()
    return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ci-bench", default="build/bin/ci-bench")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as out:
        commands = raw_commands(args.config, out)
        if not commands:
            sys.exit(f"{args.config}: no [[benchmark]] commands")

        def sequential():
            for c in commands:
                subprocess.run(c, check=True, stdout=subprocess.DEVNULL)

        def cibench():
            subprocess.run([args.ci_bench, "run", "--config", args.config, "--jobs", str(args.jobs), "--out", out],
                           check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        seq, par = [], []
        for _ in range(args.repeat):
            seq.append(timed(sequential))
            par.append(timed(cibench))
    print(f"{len(commands)} benchmarks, {args.repeat} runs each, alternating")
    for name, t in ((f"sequential raw valgrind", seq), (f"ci-bench run --jobs {args.jobs}", par)):
        print(f"  {name:<28} mean {statistics.mean(t):6.2f} s  sd {statistics.stdev(t):5.2f}  min {min(t):6.2f} s")
    print(f"  ratio of means: {statistics.mean(par) / statistics.mean(seq):.3f}")


if __name__ == "__main__":
    main()

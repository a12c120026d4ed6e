#!/usr/bin/env python3
"""How often does `ci-bench time --compare` cry wolf, and how often does it find a real 5 % slowdown?

Two copies of the same binaries in two folders, each with its own config, so that nothing is
shared by accident. A/A: the same loop on both sides, repeated; every verdict other than "no
significant change" is a false alarm. A/B: this side's loop does 5 % more iterations (the loop's
time is linear in them; the first A/B run counts instructions to show the work really grew by
5 %), and the untouched sort benchmark rides along as a control. Prints how often each verdict
came out, and the changes measured.

    python3 tools/dev/time_false_alarms.py                 # 20 A/A and 10 A/B runs, a few minutes
    python3 tools/dev/time_false_alarms.py --aa 40 --ab 20 --build build
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

LOOP = 1_000_000
BENCHMARKS = ["loop", "sort.longs.100k"]
VERDICT = re.compile(r"^  (regression|improvement|no significant change): ", re.M)


def make_side(root, name, build, iterations):
    """A folder with its own copies of the binaries and a config naming them."""
    folder = os.path.join(root, name)
    os.makedirs(folder)
    for binary in ("testsuite", "sorting"):
        shutil.copy2(os.path.join(build, "bin", binary), folder)
    config = os.path.join(folder, "ci-bench.toml")
    with open(config, "w") as f:
        f.write(f'[[suite]]\nbinary = "./testsuite"\nenv = {{ TESTSUITE_ITERATIONS = "{iterations}" }}\n'
                '[[suite]]\nbinary = "./sorting"\n')
    return config


def parse(stdout):
    """{benchmark: (verdict, change %, the larger of t's and Wilcoxon's p, floor %, instructions line)}."""
    found = {}
    for name in BENCHMARKS:
        start = stdout.find(f"\n{name}  (") if not stdout.startswith(f"{name}  (") else 0
        if start < 0:
            raise SystemExit(f"no result for {name} in:\n{stdout}")
        part = stdout[start:]
        change = float(re.search(r"change ([+-][0-9.]+)%", part).group(1))
        p = re.search(r"paired t over blocks = [^,]+, df = \d+, p ([<=] [0-9.]+)", part).group(1)
        wilcoxon = re.search(r"Wilcoxon signed-rank exact p ([<=] [0-9.]+)", part).group(1)
        floor = float(re.search(r"noise floor ([0-9.]+)%", part).group(1))
        verdict = VERDICT.search(part).group(1)
        instructions = re.search(r"^  (time .*instructions.*|instructions: .*)$", part, re.M)
        both_p = max(float(v[2:]) if v.startswith("=") else 0.0 for v in (p, wilcoxon))
        found[name] = (verdict, change, both_p, floor,
                       instructions.group(1) if instructions else "")
    return found


def compare(cibench, here, other, out, seed, args, count):
    cmd = [cibench, "time", "--config", here, "--compare", other, "--out", out, "--seed", str(seed),
           "--blocks", str(args.blocks), "--budget-ms", str(args.budget_ms), "--warmup-ms", "20",
           "--filter", "^(" + "|".join(re.escape(b) for b in BENCHMARKS) + ")$"]
    if not count:
        cmd.append("--no-count")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return parse(proc.stdout)


def summarise(title, runs):
    print(f"\n{title}: {len(runs)} runs")
    print("| benchmark | no significant change | regression | improvement | significant (t and Wilcoxon p < 0.05) | change: median (min to max) | noise floor: median (max) |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for name in BENCHMARKS:
        rows = [r[name] for r in runs]
        verdicts = [r[0] for r in rows]
        changes = [r[1] for r in rows]
        floors = [r[3] for r in rows]
        print(f"| {name} | {verdicts.count('no significant change')} | {verdicts.count('regression')} | "
              f"{verdicts.count('improvement')} | {sum(r[2] < 0.05 for r in rows)} | "
              f"{statistics.median(changes):+.2f}% ({min(changes):+.2f}% to {max(changes):+.2f}%) | "
              f"{statistics.median(floors):.2f}% ({max(floors):.2f}%) |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build", help="the build folder (bin/ci-bench, bin/testsuite, bin/sorting)")
    parser.add_argument("--aa", type=int, default=20, help="A/A runs (same build against itself)")
    parser.add_argument("--ab", type=int, default=10, help="A/B runs (one benchmark made slower)")
    parser.add_argument("--slower-pct", type=float, default=5, help="how much slower the A/B loop is")
    parser.add_argument("--blocks", type=int, default=30, help="as `ci-bench time --compare` (its default)")
    parser.add_argument("--budget-ms", type=int, default=1500,
                        help="per side and benchmark, over the blocks (half the default, to keep the study short)")
    args = parser.parse_args()
    cibench = os.path.abspath(os.path.join(args.build, "bin", "ci-bench"))
    root = tempfile.mkdtemp(prefix="cibench-false-alarms-")
    try:
        out = os.path.join(root, "out")
        base = make_side(root, "base", args.build, LOOP)
        same = make_side(root, "same", args.build, LOOP)
        slower = make_side(root, "slower", args.build, round(LOOP * (1 + args.slower_pct / 100)))
        aa, ab = [], []
        # A/A and A/B interleaved, so that the machine's load over the study falls on both alike.
        for i in range(max(args.aa, args.ab)):
            if i < args.aa:
                aa.append(compare(cibench, same, base, out, 1000 + i, args, count=False))
                print(f"A/A {i + 1}: " + ", ".join(f"{n} {r[0]} ({r[1]:+.2f}%)" for n, r in aa[-1].items()), file=sys.stderr)
            if i < args.ab:
                ab.append(compare(cibench, slower, base, out, 2000 + i, args, count=i == 0))
                print(f"A/B {i + 1}: " + ", ".join(f"{n} {r[0]} ({r[1]:+.2f}%)" for n, r in ab[-1].items()), file=sys.stderr)
        print(f"ci-bench time --compare, {args.blocks} blocks, --budget-ms {args.budget_ms}, default threshold; "
              f"loop of {LOOP} iterations, made {args.slower_pct}% longer for A/B")
        summarise("A/A (same binaries, two copies): every verdict but 'no significant change' is a false alarm", aa)
        summarise(f"A/B (loop {args.slower_pct}% slower; sort untouched)", ab)
        if ab:
            print(f"\nwork in the A/B loop, counted under Valgrind in the first A/B run: {ab[0]['loop'][4]}")
            print(f"work in sort, same run: {ab[0]['sort.longs.100k'][4]}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Times the history at scale, on generated results.json files (no Valgrind: the history is what is measured).

    python3 tools/history_scale.py build/bin/ci-bench --repeat 3

  record   one run of 1,000 benchmarks (every metric, 10 functions each) into a history of 20 points
  show     `history show --last 1000` over 1,000 points of 100 benchmarks (the text table, and --json)
  board    `history board` for 100 benchmarks x 1,000 points, then Chromium loading index.html and
           one benchmark page (--dump-dom: parsed, laid out and drawn) if `chromium` is installed
Prints the median and the spread of REPEAT timings of each, and the board's size.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

METRICS = ["Ir", "I1mr", "ILmr", "Dr", "D1mr", "DLmr", "Dw", "D1mw", "DLmw", "instructions", "l1_hits", "l2_hits",
           "ram_hits", "total_rw", "estimated_cycles"]


def results(path, k, benchmarks):
    with open(path, "w") as f:
        json.dump({"schema": 1, "tool": "ci-bench", "exit_code": 0,
                   "commit": {"sha": f"{k:040x}", "parent": f"{k - 1:040x}", "branch": "main", "time": 1_700_000_000 + 600 * k},
                   "benchmarks": [{"name": f"suite{b // 10}.bench{b}", "status": "warn" if (b + k) % 97 == 0 else "pass",
                                   "metrics": {m: 1_000_000 + 1000 * b + 7 * k + j for j, m in enumerate(METRICS)},
                                   "functions": {f"src/f{b}.cpp:fn{i}": 1000 * i + k for i in range(10)}}
                                  for b in range(benchmarks)]}, f)


def timed(argv, **kw):
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, **kw)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv[:4])}...: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    return seconds, proc


def report(name, samples):
    print(f"{name:<48} median {statistics.median(samples):7.3f} s  (min {min(samples):.3f}, max {max(samples):.3f}, "
          f"n={len(samples)})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cibench")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cibench = os.path.abspath(args.cibench)
    work = tempfile.mkdtemp(prefix="cibench-history-scale-")
    try:
        # A history of 20 points of 1,000 benchmarks, and a 21st run to record.
        big = [os.path.join(work, f"big{k}.json") for k in range(21)]
        for k, path in enumerate(big):
            results(path, k, 1000)
        base = os.path.join(work, "big.sqlite")
        timed([cibench, "history", "import", "--history", base, *big[:20]])
        samples = []
        for _ in range(args.repeat):
            copy = os.path.join(work, "big-copy.sqlite")
            shutil.copy(base, copy)
            samples.append(timed([cibench, "history", "import", "--history", copy, big[20]])[0])
        report("record a run of 1,000 benchmarks", samples)

        # 1,000 points of 100 benchmarks.
        wide = os.path.join(work, "wide.sqlite")
        files = []
        for k in range(1000):
            files.append(os.path.join(work, f"w{k}.json"))
            results(files[-1], k, 100)
        seconds, _ = timed([cibench, "history", "import", "--history", wide, *files])
        print(f"(building it: 1,000 results.json of 100 benchmarks imported in {seconds:.1f} s, "
              f"file {os.path.getsize(wide) / 1e6:.0f} MB)")
        report("show --last 1000 (100 benchmarks x 1,000 points)",
               [timed([cibench, "history", "show", "--history", wide, "--last", "1000"])[0] for _ in range(args.repeat)])
        report("show --last 1000 --json",
               [timed([cibench, "history", "show", "--history", wide, "--last", "1000", "--json"])[0]
                for _ in range(args.repeat)])
        board = os.path.join(work, "board")
        report("board, 100 benchmarks x 1,000 points",
               [timed([cibench, "history", "board", "--history", wide, "--out", board, "--last", "1000"])[0]
                for _ in range(args.repeat)])
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(board) for f in fs)
        page = os.path.join(board, "b", sorted(os.listdir(os.path.join(board, "b")))[0])
        print(f"(board: {size / 1e6:.0f} MB in all; index.html {os.path.getsize(os.path.join(board, 'index.html')) / 1e6:.2f} MB, "
              f"a benchmark page {os.path.getsize(page) / 1e6:.2f} MB)")
        if shutil.which("chromium"):
            load = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"]
            report("Chromium loads index.html (startup included)",
                   [timed(load + ["file://" + urllib.parse.quote(os.path.join(board, "index.html"))])[0]
                    for _ in range(args.repeat)])
            report("Chromium loads a benchmark page (startup included)",
                   [timed(load + ["file://" + urllib.parse.quote(page)])[0] for _ in range(args.repeat)])
            empty = os.path.join(work, "empty.html")
            with open(empty, "w") as f:
                f.write("<!DOCTYPE html><title>empty</title>")
            report("Chromium loads an empty page (its startup)",
                   [timed(load + ["file://" + empty])[0] for _ in range(args.repeat)])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

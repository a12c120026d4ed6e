#!/usr/bin/env python3
"""Times the history at scale, on generated results.json files (no Valgrind: the history is what is measured).

    python3 tools/dev/history_scale.py build/bin/ci-bench --repeat 3
    python3 tools/dev/history_scale.py old/ci-bench build/bin/ci-bench --repeat 3   # side by side
    python3 tools/dev/history_scale.py build/bin/ci-bench --repeat 1 --keep          # then open the boards

Every count differs from one point to the next (the charts' worst case).

  record   one run of 1,000 benchmarks (every metric, 10 functions and 3 allocation sites each)
           into a history of 20 points
  show     `history show --last 1000` over 1,000 points of 100 benchmarks (the text table, and --json)
  board    `history board` for 100 benchmarks x 1,000 points, then Chromium loading index.html and
           one benchmark page (--dump-dom: parsed, laid out and drawn) if `chromium` is installed,
           against an empty page (Chromium's own start-up)
With several ci-bench, each gets its own history files and the timings take turns, so that a
machine's load falls on all of them alike. Prints the median and the spread of REPEAT timings.
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


def wobble(k, b, j):
    """A different count at every point: the most a chart can have to draw (real counts mostly
    stay flat between the commits that change them)."""
    return (k * 7919 + b * 104729 + j * 31) % 1000


def results(path, k, benchmarks):
    with open(path, "w") as f:
        json.dump({"schema": 1, "tool": "ci-bench", "exit_code": 0,
                   "commit": {"sha": f"{k:040x}", "parent": f"{k - 1:040x}" if k else "", "branch": "main", "time": 1_700_000_000 + 600 * k},
                   "benchmarks": [{"name": f"suite{b // 10}.bench{b}", "status": "warn" if (b + k) % 97 == 0 else "pass",
                                   "metrics": {m: 1_000_000 + 1000 * b + 7 * k + j + wobble(k, b, j)
                                               for j, m in enumerate(METRICS)},
                                   "functions": {f"src/f{b}.cpp:fn{i}": 1000 * i + k for i in range(10)},
                                   "allocation_sites": {f"grow{i}(unsigned long) (src/f{b}.cpp)":
                                                        {"total_bytes": 4096 * (i + 1) + k, "peak_bytes": 1024 * (i + 1)}
                                                        for i in range(3)}}
                                  for b in range(benchmarks)]}, f)


def timed(argv, **kw):
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, **kw)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv[:4])}...: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    return seconds


def report(name, samples):
    print(f"  {name:<50} median {statistics.median(samples):7.3f} s  (min {min(samples):.3f}, max {max(samples):.3f}, "
          f"n={len(samples)})")


def size_of(folder):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(folder) for f in fs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cibench", nargs="+", help="one ci-bench, or several to time side by side")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the histories and boards (to look at them) and say where")
    args = parser.parse_args()
    binaries = [os.path.abspath(b) for b in args.cibench]
    work = tempfile.mkdtemp(prefix="cibench-history-scale-")
    chromium = shutil.which("chromium")
    samples = {b: {} for b in binaries}

    def sample(binary, name, seconds):
        samples[binary].setdefault(name, []).append(seconds)

    try:
        # A history of 20 points of 1,000 benchmarks, and a 21st run to record.
        big = [os.path.join(work, f"big{k}.json") for k in range(21)]
        for k, path in enumerate(big):
            results(path, k, 1000)
        # 1,000 points of 100 benchmarks.
        wide_files = [os.path.join(work, f"w{k}.json") for k in range(1000)]
        for k, path in enumerate(wide_files):
            results(path, k, 100)
        empty = os.path.join(work, "empty.html")
        with open(empty, "w") as f:
            f.write("<!DOCTYPE html><title>empty</title>")

        own = {b: os.path.join(work, f"bin{i}") for i, b in enumerate(binaries)}
        for b in binaries:
            os.makedirs(own[b])
            timed([b, "history", "import", "--history", os.path.join(own[b], "big.sqlite"), *big[:20]])
            wide = os.path.join(own[b], "wide.sqlite")
            seconds = timed([b, "history", "import", "--history", wide, *wide_files])
            print(f"{b}: 1,000 results.json of 100 benchmarks imported in {seconds:.1f} s, "
                  f"file {os.path.getsize(wide) / 1e6:.0f} MB")

        load = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"]
        for _ in range(args.repeat):
            for b in binaries:
                base, copy = os.path.join(own[b], "big.sqlite"), os.path.join(own[b], "big-copy.sqlite")
                shutil.copy(base, copy)
                sample(b, "record a run of 1,000 benchmarks", timed([b, "history", "import", "--history", copy, big[20]]))
                wide = os.path.join(own[b], "wide.sqlite")
                sample(b, "show --last 1000 (100 benchmarks x 1,000 points)",
                       timed([b, "history", "show", "--history", wide, "--last", "1000"]))
                sample(b, "show --last 1000 --json",
                       timed([b, "history", "show", "--history", wide, "--last", "1000", "--json"]))
                board = os.path.join(own[b], "board")
                sample(b, "board, 100 benchmarks x 1,000 points",
                       timed([b, "history", "board", "--history", wide, "--out", board, "--last", "1000"]))
                if chromium:
                    page = os.path.join(board, "b", sorted(os.listdir(os.path.join(board, "b")))[0])
                    sample(b, "Chromium loads index.html (start-up included)",
                           timed(load + ["file://" + urllib.parse.quote(os.path.join(board, "index.html"))]))
                    sample(b, "Chromium loads a benchmark page (start-up included)",
                           timed(load + ["file://" + urllib.parse.quote(page)]))
                    sample(b, "Chromium loads an empty page (its start-up)", timed(load + ["file://" + empty]))

        for b in binaries:
            print(b)
            for name, values in samples[b].items():
                report(name, values)
            board = os.path.join(own[b], "board")
            page = os.path.join(board, "b", sorted(os.listdir(os.path.join(board, "b")))[0])
            print(f"  (board: {size_of(board) / 1e6:.0f} MB in all; index.html "
                  f"{os.path.getsize(os.path.join(board, 'index.html')) / 1e6:.2f} MB, a benchmark page "
                  f"{os.path.getsize(page) / 1e6:.2f} MB)")
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""How fast ci-bench reads a Callgrind profile, against callgrind_annotate on the same file.

    python3 tools/dev/parse_speed.py --make-profile /tmp/cc1plus.callgrind.out   # once: ~11 MB
    python3 tools/dev/parse_speed.py /tmp/cc1plus.callgrind.out --repeat 5

--make-profile writes the profile the figures in docs/performance.md were taken on: g++'s compiler proper
(cc1plus) compiling a small C++ file under Callgrind with --dump-instr=yes. Then the two commands
run alternately, REPEAT times each, in one session: `ci-bench diff F F` (both files read, at once)
and `callgrind_annotate F`. Prints each one's median and spread, the ratio of the medians, and
the megabytes one `ci-bench diff` reads a second (the file twice). It also checks that both give
the same total instructions; per-function agreement with callgrind_annotate is a unit test
(tests/unit/valgrind/callgrind/test_callgrind_parser.cpp).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

SMALL_FILE = """#include <algorithm>
#include <map>
#include <string>
#include <vector>
int count_words(const std::vector<std::string>& words) {
  std::map<std::string, int> seen;
  for (auto& w : words) ++seen[w];
  return std::max_element(seen.begin(), seen.end(), [](auto& a, auto& b) { return a.second < b.second; })->second;
}
"""


def make_profile(out):
    def ask_gxx(option):
        return subprocess.run(["g++", option], capture_output=True, text=True, check=True).stdout.strip()
    cc1plus, multiarch = ask_gxx("-print-prog-name=cc1plus"), ask_gxx("-print-multiarch")
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "small.cpp")
        with open(source, "w") as f:
            f.write(SMALL_FILE)
        # cc1plus as g++ runs it (see `g++ -### -O2 -c small.cpp`): the multiarch include folders.
        subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=yes", f"--callgrind-out-file={out}", cc1plus,
                        "-quiet", "-imultiarch", multiarch, "-D_GNU_SOURCE", source, "-O2", "-o",
                        os.path.join(work, "small.s")],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    print(f"{out}: {os.path.getsize(out) / 1e6:.1f} MB")


def timed(argv):
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)}: exit {proc.returncode}\n{proc.stderr}")
    return elapsed, proc.stdout


def total_ours(diff_output):
    match = re.search(r"^  Ir\s+(\d+) -> (\d+)", diff_output, re.M)
    return int(match.group(1)) if match else None


def total_annotate(annotate_output):
    match = re.search(r"^([0-9,]+) \(100\.0%\)\s+PROGRAM TOTALS", annotate_output, re.M)
    return int(match.group(1).replace(",", "")) if match else None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("profile")
    parser.add_argument("--make-profile", action="store_true", help="write the profile first (takes a minute)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ci-bench", default="build/bin/ci-bench")
    args = parser.parse_args()
    if args.make_profile:
        make_profile(args.profile)
    size = os.path.getsize(args.profile)
    ours, theirs = [], []
    for _ in range(args.repeat):
        seconds, diff_output = timed([args.ci_bench, "diff", args.profile, args.profile])
        ours.append(seconds)
        seconds, annotate_output = timed(["callgrind_annotate", args.profile])
        theirs.append(seconds)
    our_total, their_total = total_ours(diff_output), total_annotate(annotate_output)
    print(f"profile: {args.profile}, {size / 1e6:.1f} MB")
    for name, times in (("ci-bench diff F F", ours), ("callgrind_annotate F", theirs)):
        print(f"{name:22} median {statistics.median(times):.3f} s  (min {min(times):.3f}, max {max(times):.3f}, "
              f"{len(times)} runs)")
    print(f"ratio: callgrind_annotate / ci-bench diff = {statistics.median(theirs) / statistics.median(ours):.1f}x; "
          f"ci-bench reads {2 * size / 1e6 / statistics.median(ours):.0f} MB/s (two reads of the file)")
    # callgrind_annotate prints the summary: line, a few instructions above the totals: line
    # (see tests/unit/valgrind/callgrind/test_callgrind_parser.cpp); the two must be that close.
    print(f"Ir: ci-bench {our_total}, callgrind_annotate {their_total}")
    if our_total is None or their_total is None or abs(their_total - our_total) > 100:
        sys.exit("the two disagree on the total instructions")


if __name__ == "__main__":
    main()

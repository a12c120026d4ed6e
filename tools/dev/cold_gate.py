#!/usr/bin/env python3
"""Benchmarks the cold gate (nothing reused), side by side in one session, REPEAT rounds, each
round running every case once in turn:

  gate DRIVER          `DRIVER run --no-reuse` on the repository's ci-bench.toml, for each driver
                       given (the one under test, and an older one to compare with)
  gate, fork = false   the same config with every suite measured one process per benchmark
  200 trivial / 1      build/bin/servesuite's 200 empty benchmarks against one of them
  heap / no heap       three storage benchmarks with `heap = true` against the same without, --jobs 1
  raw / driver         the same Callgrind runs of the sorting and hashing suites as raw Valgrind
                       commands in a loop, against `ci-bench run --jobs 1 --no-reuse` on them
  one Callgrind run    of consensus.storage.sqlite/1, the unit the issue measures the gate in

    python3 tools/dev/cold_gate.py --repeat 3 [--driver build/bin/ci-bench --driver OLD/ci-bench]

Run it from the repository's root after `make build`, on a quiet machine.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

CACHE = ["--branch-sim=no", "--cache-sim=yes", "--I1=32768,8,64", "--D1=32768,8,64", "--LL=8388608,16,64"]
STORAGE = ["consensus.storage.sqlite/1", "consensus.storage.sqlite/3", "consensus.storage.sqlite/5"]


def timed(argv, cwd=None):
    start = time.monotonic()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=cwd)
    return time.monotonic() - start


def listed(program):
    return subprocess.run([program, "--list"], capture_output=True, text=True, check=True).stdout.split()


def storage_config(folder, heap):
    path = os.path.join(folder, f"storage-heap-{heap}.toml")
    with open(path, "w") as f:
        f.write(f'baseline_dir = "{folder}/none"\n[[suite]]\nbinary = "{os.path.abspath("build/bin/storage")}"\n'
                f'heap = {"true" if heap else "false"}\n')
    return path


def suites_config(folder):
    path = os.path.join(folder, "suites.toml")
    with open(path, "w") as f:
        f.write(f'baseline_dir = "{folder}/none"\n')
        for suite in ("sorting", "hashing"):
            f.write(f'[[suite]]\nbinary = "{os.path.abspath("build/bin/" + suite)}"\n')
    return path


def one_process_config(folder):
    """The repository's ci-bench.toml, paths absolute, every suite with fork = false."""
    root = os.path.abspath(".")
    lines = []
    with open("ci-bench.toml") as f:
        for line in f:
            line = line.replace('"build/', f'"{root}/build/').replace('baseline_dir = "', f'baseline_dir = "{root}/')
            lines.append(line)
            if line.startswith("binary = "):
                lines.append("fork = false\n")
    path = os.path.join(folder, "one-process.toml")
    with open(path, "w") as f:
        f.writelines(lines)
    return path


def trivial_config(folder):
    path = os.path.join(folder, "trivial.toml")
    with open(path, "w") as f:
        f.write(f'baseline_dir = "{folder}/none"\n[[suite]]\nbinary = "{os.path.abspath("build/bin/servesuite")}"\n')
    return path


def raw_callgrind(program, name, scratch):
    return ["valgrind", "--tool=callgrind", "--instr-atstart=no", *CACHE, "--trace-syscalls=yes",
            f"--callgrind-out-file={scratch}/out.%p", f"--log-file={scratch}/log.%p", program, "--run", name]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--driver", action="append", help="a ci-bench driver to time the gate with (repeatable)")
    args = parser.parse_args()
    drivers = args.driver or ["build/bin/ci-bench"]
    driver = drivers[0]
    times = {}
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "out")
        heap_on, heap_off, suites = storage_config(folder, True), storage_config(folder, False), suites_config(folder)
        one_process, trivial = one_process_config(folder), trivial_config(folder)
        storage_filter = "^(" + "|".join(n.replace(".", "[.]") for n in STORAGE) + ")$"
        raw = [raw_callgrind(os.path.abspath("build/bin/" + s), n, folder) for s in ("sorting", "hashing")
               for n in listed("build/bin/" + s)]
        one = raw_callgrind(os.path.abspath("build/bin/storage"), "consensus.storage.sqlite/1", folder)
        for _ in range(args.repeat):
            for d in drivers:
                times.setdefault(f"gate {d}", []).append(timed([d, "run", "--no-reuse", "--out", out]))
            times.setdefault("gate, fork = false", []).append(
                timed([driver, "run", "--config", one_process, "--no-reuse", "--out", out]))
            for label, pattern in (("200 trivial", "^trivial/"), ("1 trivial", "^trivial/0$")):
                times.setdefault(label, []).append(timed([driver, "run", "--config", trivial, "--filter", pattern, "--out", out]))
            for label, config in (("heap", heap_on), ("no heap", heap_off)):
                times.setdefault(f"3 storage, {label}", []).append(
                    timed([driver, "run", "--config", config, "--jobs", "1", "--filter", storage_filter, "--out", out]))
            # In the scratch folder, as the driver's sandbox is: a workload may write files where it runs.
            times.setdefault("raw valgrind, sorting+hashing", []).append(sum(timed(argv, folder) for argv in raw))
            times.setdefault("driver --jobs 1, sorting+hashing", []).append(
                timed([driver, "run", "--config", suites, "--jobs", "1", "--no-reuse", "--out", out]))
            times.setdefault("one Callgrind run, consensus.storage.sqlite/1", []).append(timed(one, folder))
            shutil.rmtree(out, ignore_errors=True)
    mean = {k: statistics.mean(v) for k, v in times.items()}
    for k, v in times.items():
        print(f"  {k:<48} mean {mean[k]:6.2f} s  min {min(v):6.2f}  max {max(v):6.2f}  ({len(v)} runs)")
    unit = mean["one Callgrind run, consensus.storage.sqlite/1"]
    for d in drivers:
        print(f"  gate {d}: {mean[f'gate {d}'] / unit:.1f}x one Callgrind run")
    print(f"  gate served / one process each: {mean[f'gate {driver}'] / mean['gate, fork = false']:.2f}x")
    print(f"  200 trivial / 1: {mean['200 trivial'] / mean['1 trivial']:.1f}x")
    print(f"  heap / no heap: {mean['3 storage, heap'] / mean['3 storage, no heap']:.2f}x")
    print(f"  driver / raw valgrind: {mean['driver --jobs 1, sorting+hashing'] / mean['raw valgrind, sorting+hashing']:.2f}x")


if __name__ == "__main__":
    main()

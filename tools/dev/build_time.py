#!/usr/bin/env python3
"""Benchmarks compiling the driver, side by side: for each source tree given (this one, and an
older checkout to compare with), REPEAT rounds, each round building every tree once in turn, from
an empty build folder, `cmake --build B --target ci-bench -j2`, in two ways:

  top-level    cmake -S TREE -DCIBENCH_DRIVER_ONLY=ON (RelWithDebInfo, what `make build` compiles)
  subproject   a consumer's CMakeLists.txt that add_subdirectory()s TREE with no build type
               (what adoption.test_subproject and a user's add_subdirectory compile)

    git worktree add /tmp/old OLD_COMMIT
    python3 tools/dev/build_time.py --tree . --tree /tmp/old --repeat 2

Run it on a quiet machine: each build takes minutes.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time


def build(source, folder, consumer):
    if consumer:
        project = folder + "-consumer"
        os.makedirs(project)
        with open(os.path.join(project, "CMakeLists.txt"), "w") as f:
            f.write(f"cmake_minimum_required(VERSION 3.22)\nproject(consumer CXX)\nadd_subdirectory({source} ci-bench)\n")
        configure = ["cmake", "-S", project, "-B", folder]
    else:
        configure = ["cmake", "-S", source, "-B", folder, "-DCIBENCH_DRIVER_ONLY=ON"]
    subprocess.run(configure, check=True, stdout=subprocess.DEVNULL)
    start = time.monotonic()
    before = os.times()
    subprocess.run(["cmake", "--build", folder, "--target", "ci-bench", "-j2"], check=True, stdout=subprocess.DEVNULL)
    after = os.times()
    return time.monotonic() - start, (after.children_user - before.children_user)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", action="append", required=True, help="a ci-bench source tree (repeat)")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    trees = [os.path.abspath(t) for t in args.tree]
    work = tempfile.mkdtemp(prefix="cibench-build-time-")
    seconds = {(t, kind): [] for t in trees for kind in ("top-level", "subproject")}
    try:
        for round_ in range(args.repeat):
            for kind in ("top-level", "subproject"):
                for t in trees:
                    folder = os.path.join(work, f"b{round_}-{kind}-{trees.index(t)}")
                    wall, user = build(t, folder, kind == "subproject")
                    seconds[(t, kind)].append((wall, user))
                    print(f"round {round_ + 1} {kind:10} {t}: {wall:.1f} s wall, {user:.1f} s CPU", flush=True)
                    shutil.rmtree(folder)
                    shutil.rmtree(folder + "-consumer", ignore_errors=True)
        for (t, kind), runs in seconds.items():
            print(f"{kind:10} {t}: median {statistics.median(w for w, _ in runs):.1f} s wall, "
                  f"{statistics.median(u for _, u in runs):.1f} s CPU over {len(runs)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

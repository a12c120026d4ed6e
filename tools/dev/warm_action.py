#!/usr/bin/env python3
"""Benchmarks the CI action's way to a ready ci-bench, cold against warm, with the action's own
step scripts (ci/action/action.yml) run by bash as the runner runs them:

  cold   an empty RUNNER_TEMP: the key step, then "Build and install ci-bench" (configure, build,
         install the driver only, Release, -j nproc), then "Put ci-bench on PATH"
  warm   an empty RUNNER_TEMP into which the cache is restored as actions/cache restores it (its
         tar, zstd-compressed, of RUNNER_TEMP/ci-bench, made from the cold run's install), then the
         key step and "Put ci-bench on PATH"

Both leave out installing the packages (apt): the user's own build needs them either way.

    python3 tools/dev/warm_action.py --repeat 3

Run it from the repository's root, on a quiet machine. The cold case runs once (minutes).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

import yaml  # python3-yaml, which the workflow tests use too

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACTION = os.path.join(ROOT, "ci", "action", "action.yml")


def step_script(name_start):
    with open(ACTION) as f:
        steps = yaml.safe_load(f)["runs"]["steps"]
    return next(s for s in steps if s.get("name", "").startswith(name_start))["run"]


def run_steps(runner_temp, names):
    env = dict(os.environ, GITHUB_ACTION_PATH=os.path.join(ROOT, "ci", "action"), RUNNER_TEMP=runner_temp,
               GITHUB_OUTPUT=os.path.join(runner_temp, "output"), GITHUB_PATH=os.path.join(runner_temp, "path"),
               GITHUB_ENV=os.path.join(runner_temp, "env"))
    for name in names:
        subprocess.run(["bash", "-eo", "pipefail", "-c", step_script(name)], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm rounds")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="cibench-warm-action-")
    try:
        cold = os.path.join(work, "cold")
        os.makedirs(cold)
        start = time.monotonic()
        run_steps(cold, ["Key of the ci-bench build", "Build and install ci-bench", "Put ci-bench on PATH"])
        cold_seconds = time.monotonic() - start
        archive = os.path.join(work, "cache.tzst")
        subprocess.run(["tar", "--zstd", "-cf", archive, "-C", cold, "ci-bench"], check=True)

        warm = []
        for k in range(args.repeat):
            folder = os.path.join(work, f"warm-{k}")
            os.makedirs(folder)
            start = time.monotonic()
            subprocess.run(["tar", "--zstd", "-xf", archive, "-C", folder], check=True)
            run_steps(folder, ["Key of the ci-bench build", "Put ci-bench on PATH"])
            warm.append(time.monotonic() - start)
            shutil.rmtree(folder)
        size = os.path.getsize(archive)
        print(f"cold (build):     {cold_seconds:7.1f} s")
        print(f"warm (restored):  {statistics.median(warm):7.2f} s median of {args.repeat} "
              f"({', '.join(f'{w:.2f}' for w in warm)}); the cache is {size / 2**20:.1f} MiB")
        print(f"cold / warm:      {cold_seconds / statistics.median(warm):7.0f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

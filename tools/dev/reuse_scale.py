#!/usr/bin/env python3
"""Times the gate on COUNT benchmarks whose content did not change (every one reused from its
baseline), as a pull request that touches no measured binary would see it.

    python3 tools/dev/reuse_scale.py --count 1000 --repeat 5

It writes, in a temporary folder, a config of COUNT plain benchmarks (build/bin/checksum, each with
its own argument), measures one of them with --update-baselines, and gives every other benchmark
that baseline under its own name with the content fingerprint it would have (read from a
--no-reuse run of a sample, so nothing is faked: a benchmark whose fingerprint differed would be
measured, and the script checks that all COUNT were reused). Then it times `ci-bench run`.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time


def run(cibench, config, out, *extra):
    return subprocess.run([cibench, "run", "--config", config, "--out", out, *extra],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ci-bench", default="build/bin/ci-bench")
    parser.add_argument("--program", default="build/bin/checksum")
    args = parser.parse_args()
    cibench, program = os.path.abspath(args.ci_bench), os.path.abspath(args.program)
    with tempfile.TemporaryDirectory() as work:
        config = os.path.join(work, "ci-bench.toml")
        names = [f"b{i:05}" for i in range(args.count)]
        with open(config, "w") as f:
            for i, name in enumerate(names):
                f.write(f'[[benchmark]]\nname = "{name}"\ncommand = ["{program}", "1000"]\n')
        out = os.path.join(work, "out")
        if run(cibench, config, out, "--update-baselines", "--filter", f"^{names[0]}$").returncode != 0:
            raise SystemExit("measuring the first benchmark failed")
        with open(os.path.join(work, "baselines", f"{names[0]}.json")) as f:
            template = json.load(f)
        for name in names[1:]:
            with open(os.path.join(work, "baselines", f"{name}.json"), "w") as f:
                json.dump(dict(template, benchmark=name), f)
        times = []
        for _ in range(args.repeat):
            start = time.monotonic()
            r = run(cibench, config, out)
            times.append(time.monotonic() - start)
            with open(os.path.join(out, "results.json")) as f:
                results = json.load(f)
            if r.returncode != 0 or results["reused"] != args.count:
                raise SystemExit(f"expected {args.count} reused and exit 0, got {results['reused']} and {r.returncode}")
        print(f"  {args.count} unchanged benchmarks, all reused: mean {statistics.mean(times):.2f} s, "
              f"min {min(times):.2f} s, max {max(times):.2f} s ({len(times)} runs)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The drifts in `ci-bench history show --json` output, as a Markdown section for the weekly
refresh's pull request: what accepting the new baselines would also accept.

    ci-bench history show --json > history.json && python3 tools/drift_list.py history.json

A missing file (no history yet) gives a line that says so.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_text import md  # noqa: E402  (the comment's escaping of outside text)


def drift_section(shown):
    drifting = [b for b in shown["benchmarks"] if b["trend"]["drifting"]]
    head = (f"### 📈 Drift over the last {len(shown['runs'])} points of {md(shown['branch'] or 'every branch')} "
            f"({md(shown['metric'])}, past {shown['drift_threshold_pct']:g} %)")
    if not drifting:
        return head + "\n\nNone: no benchmark rose past the drift threshold.\n"
    lines = []
    for b in drifting:
        t = b["trend"]
        steps = (f"each step under the {shown['warn_pct']:g} % warn level" if t["each_step_under_warn"]
                 else f"largest step {t['largest_step_pct']:+.1f} %")
        lines.append(f"- {md(b['name'])}: {t['change_pct']:+.1f} % over {t['points']} points, {steps}")
    return head + "\n\nThese baselines accept these rises:\n\n" + "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    if not os.path.exists(sys.argv[1]):
        print("### 📈 Drift\n\nNo history yet (see docs/history-and-board.md in ci-bench): drift is not known.")
        return
    with open(sys.argv[1]) as f:
        print(drift_section(json.load(f)), end="")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Renders a ci-bench results.json as a pull-request comment (Markdown) or an HTML page.

    tools/report.py build/ci-bench/results.json > comment.md
    tools/report.py build/ci-bench/results.json --format html > report.html

The comment never exceeds GitHub's limit (65 536 characters): the least important parts go first
(passed benchmarks, then per-function detail, then table rows) and the comment says what was cut.
results.json may come from a fork's run: every field is type-checked on reading (results_file.py),
and every string and number from it is escaped, so nothing in it can break a table, inject markup,
mention someone or make a link.

Commits and links to the run come from --base-sha, --head-sha, --run-url and --artifact-url, or else
from GitHub Actions' variables (GITHUB_SHA; GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID).
"""
import argparse
import os
import re
import sys

from report_facts import Report
from report_html import render_html
from report_markdown import GITHUB_LIMIT, render_markdown
from results_file import load_results

SHA = re.compile(r"[0-9a-f]{7,64}")
URL = re.compile(r"https?://[^\s<>()\[\]\"'`\\]+")


def run_context(args, env, program="report.py"):
    """Commits and links from the options, or else from GitHub Actions' variables; each one checked."""
    def checked(value, pattern, source):
        if value and not pattern.fullmatch(value):
            what = "a commit hash" if pattern is SHA else "an http(s) URL"
            sys.exit(f"{program}: {source}: expected {what}, got {value!r}")
        return value or None

    run_url, run_source = args.run_url, "--run-url"
    if not run_url and all(env.get(v) for v in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")):
        if not env["GITHUB_RUN_ID"].isdigit() or not re.fullmatch(r"[\w.-]+/[\w.-]+", env["GITHUB_REPOSITORY"]):
            sys.exit(f"{program}: GITHUB_REPOSITORY or GITHUB_RUN_ID is malformed")
        run_url = f"{env['GITHUB_SERVER_URL'].rstrip('/')}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"
        run_source = "GITHUB_SERVER_URL"
    run_url = checked(run_url, URL, run_source)
    head, head_source = (args.head_sha, "--head-sha") if args.head_sha else (env.get("GITHUB_SHA"), "GITHUB_SHA")
    return {"base": checked(args.base_sha, SHA, "--base-sha"),
            "head": checked(head, SHA, head_source),
            "run_url": run_url,
            "artifact_url": checked(args.artifact_url or (run_url and run_url + "#artifacts"), URL, "--artifact-url")}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="results.json from `ci-bench run`")
    parser.add_argument("--format", choices=("markdown", "html"), default="markdown")
    parser.add_argument("--limit", type=int, default=GITHUB_LIMIT, help="longest comment, in characters")
    parser.add_argument("--base-sha", help="the commit the pull request goes into")
    parser.add_argument("--head-sha", help="the commit measured (default: $GITHUB_SHA)")
    parser.add_argument("--run-url", help="the CI run (default: from $GITHUB_SERVER_URL, $GITHUB_REPOSITORY, $GITHUB_RUN_ID)")
    parser.add_argument("--artifact-url", help="where the run's files are (default: the run's #artifacts)")
    args = parser.parse_args()
    context = run_context(args, os.environ)
    results = load_results(args.results, "report.py")
    if args.format == "html":
        sys.stdout.write(render_html(Report(results, context)))
    else:
        sys.stdout.write(render_markdown(results, args.limit, context))


if __name__ == "__main__":
    main()

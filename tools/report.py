#!/usr/bin/env python3
"""Renders a ci-bench results.json as a pull-request comment (Markdown) or an HTML page.

    tools/report.py build/ci-bench/results.json > comment.md
    tools/report.py build/ci-bench/results.json --format html > report.html

The comment never exceeds GitHub's limit (65 536 characters): the least important parts go first
(unchanged benchmarks, then per-function detail, then table rows) and the comment says what was cut.
Every name from results.json is escaped: it cannot break a table or inject markup.
"""
import argparse
import html
import sys

from results_file import load_results

GITHUB_LIMIT = 65536
SEVERITY = {"error": 0, "fail": 1, "warn": 2, "improved": 3, "new": 4, "pass": 5}
ICON = {"error": "🔴", "fail": "🔴", "warn": "🟡", "improved": "🟢", "new": "🔵", "pass": "🟢"}
MARKER = "<!-- ci-bench-report -->"  # tools/post_comment.py finds its sticky comment by this


def md(text):
    """Literal text for a Markdown table cell: no markup, no HTML, no line breaks."""
    out = []
    for c in str(text):
        if c in "\r\n":
            out.append(" ")
        elif c == "<":
            out.append("&lt;")
        elif c == ">":
            out.append("&gt;")
        elif c == "&":
            out.append("&amp;")
        elif c in "\\`*_{}[]()#+-.!|~":
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def number(n):
    return "—" if n is None else f"{n:,}"


def percent(p):
    if p is None:
        return "—"
    return f"{p:+.4f} %" if abs(p) < 1 else f"{p:+.2f} %"


class Report:
    """The comment's parts, from most to least important, so the size limit can drop from the end."""

    def __init__(self, results):
        self.results = results
        self.benchmarks = sorted(results.get("benchmarks", []),
                                 key=lambda b: (SEVERITY.get(b.get("status"), 9), b.get("name", "")))

    def headline(self):
        counts = self.results.get("counts", {})
        worst = "error" if counts.get("error") else "fail" if counts.get("fail") else "warn" if counts.get("warn") else "pass"
        parts = [f"{counts.get(k, 0)} {label}" for k, label in
                 (("fail", "failed"), ("warn", "warned"), ("improved", "improved"), ("new", "new"), ("error", "errors"))]
        verdict = {"error": "errors", "fail": "regressions", "warn": "warnings", "pass": "no regressions"}[worst]
        total = len(self.benchmarks)
        return f"{ICON[worst]} **ci-bench: {verdict}** — {', '.join(parts)} of {total} benchmarks"

    def change_rows(self):
        """(benchmark, metric, baseline, now, change, status) for everything that is not a plain pass."""
        rows = []
        for b in self.benchmarks:
            status = b.get("status")
            if status == "pass":
                continue
            name = b.get("name", "")
            if status == "error":
                first_line = (b.get("error") or "").strip().splitlines()[:1]
                rows.append((name, "error", "", "", first_line[0] if first_line else "", status))
                continue
            decisive = b.get("metric_status") or {}
            metrics = list(decisive) or ["instructions"]
            for metric in metrics:
                base = (b.get("baseline") or {}).get(metric)
                rows.append((name, metric, number(base), number(b.get("metrics", {}).get(metric)),
                             percent((b.get("change_pct") or {}).get(metric)), decisive.get(metric, status)))
        return rows

    def function_sections(self):
        sections = []
        for b in self.benchmarks:
            changes = b.get("function_changes") or []
            if b.get("status") not in ("fail", "warn") or not changes:
                continue
            lines = [f"**{md(b['name'])}**: the functions that changed most (instructions, self)", "",
                     "| function | before | after | change |", "| --- | ---: | ---: | ---: |"]
            for c in changes:
                lines.append(f"| {md(c['function'])} | {number(c['before'])} | {number(c['after'])} | {c['change']:+,} |")
            sections.append("\n".join(lines))
        return sections

    def unchanged_rows(self):
        return [f"| {md(b['name'])} | {number(b.get('metrics', {}).get('instructions'))} |"
                for b in self.benchmarks if b.get("status") == "pass"]

    def fingerprint_warnings(self):
        out = []
        for b in self.benchmarks:
            for d in b.get("fingerprint_differences") or []:
                out.append(f"- {md(b['name'])}: {md(d)}")
        return out

    def reproduce(self):
        failing = [b["name"] for b in self.benchmarks if b.get("status") in ("fail", "error")]
        lines = ["Reproduce locally (the counts are the same on any machine with the same toolchain):", "",
                 "```sh", "make ci-bench"]
        for name in failing[:5]:
            pattern = "^" + "".join("\\" + c if c in r".^$*+?()[]{}|\\" else c for c in name) + "$"
            quoted = "'" + pattern.replace("'", "'\\''").replace("`", "") + "'"
            if "\n" not in quoted:
                lines.append(f"build/bin/ci-bench run --filter {quoted}")
        lines.append("```")
        return "\n".join(lines)


def render_markdown(results, limit=GITHUB_LIMIT):
    r = Report(results)
    rows = r.change_rows()
    functions = r.function_sections()
    unchanged = r.unchanged_rows()
    warnings = r.fingerprint_warnings()
    cut = []

    def assemble(n_rows, n_functions, n_unchanged):
        parts = [MARKER, r.headline(), ""]
        if warnings:
            parts += ["> [!WARNING]", "> Some baselines were measured with a different toolchain: their counts are not "
                      "comparable. Refresh them with `--update-baselines`.", ""] + warnings[:50] + [""]
        if rows:
            parts += ["| benchmark | metric | baseline | now | change | status |",
                      "| --- | --- | ---: | ---: | ---: | --- |"]
            parts += [f"| {md(b)} | {md(m)} | {base} | {now} | {md(ch)} | {ICON.get(s, '')} {md(s)} |"
                      for b, m, base, now, ch, s in rows[:n_rows]]
            parts.append("")
        parts += functions[:n_functions]
        if n_unchanged:
            parts += ["", f"<details><summary>{len(unchanged)} unchanged benchmarks</summary>", "",
                      "| benchmark | instructions |", "| --- | ---: |"] + unchanged[:n_unchanged] + ["", "</details>"]
        if cut:
            parts += ["", "_Cut to fit GitHub's comment limit: " + "; ".join(cut) +
                      ". Everything is in the results.json artifact._"]
        parts += ["", r.reproduce()]
        return "\n".join(parts) + "\n"

    def largest_fitting(count, build):
        """The largest n in [0, count] whose text fits (0 when none does), by bisection."""
        lo, hi = 0, count
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if len(build(mid)) <= limit:
                lo = mid
            else:
                hi = mid - 1
        return lo

    n_rows, n_functions, n_unchanged = len(rows), len(functions), len(unchanged)
    text = assemble(n_rows, n_functions, n_unchanged)
    # Least important first: the unchanged list, then per-function detail, then change rows.
    if len(text) > limit and n_unchanged:
        n_unchanged = 0
        cut.append(f"{len(unchanged)} unchanged benchmarks")
        text = assemble(n_rows, n_functions, n_unchanged)
    if len(text) > limit and n_functions:
        cut.append("")  # reserve the note's place while measuring
        cut[-1] = f"{len(functions)} of {len(functions)} per-function tables"
        n_functions = largest_fitting(n_functions, lambda n: assemble(n_rows, n, 0))
        cut[-1] = f"{len(functions) - n_functions} of {len(functions)} per-function tables"
        text = assemble(n_rows, n_functions, n_unchanged)
    if len(text) > limit and n_rows:
        cut.append(f"{len(rows)} of {len(rows)} change rows")
        n_rows = largest_fitting(n_rows, lambda n: assemble(n, n_functions, 0))
        cut[-1] = f"{len(rows) - n_rows} of {len(rows)} change rows"
        text = assemble(n_rows, n_functions, n_unchanged)
    return text


def render_html(results):
    r = Report(results)
    e = html.escape
    rows = "".join(f"<tr><td>{e(b)}</td><td>{e(m)}</td><td>{e(base)}</td><td>{e(now)}</td><td>{e(ch)}</td><td>{e(s)}</td></tr>"
                   for b, m, base, now, ch, s in r.change_rows())
    unchanged = "".join(f"<tr><td>{e(b['name'])}</td><td>{e(number(b.get('metrics', {}).get('instructions')))}</td></tr>"
                        for b in r.benchmarks if b.get("status") == "pass")
    functions = ""
    for b in r.benchmarks:
        if b.get("status") in ("fail", "warn") and b.get("function_changes"):
            functions += f"<h3>{e(b['name'])}</h3><table><tr><th>function</th><th>before</th><th>after</th><th>change</th></tr>"
            functions += "".join(f"<tr><td>{e(c['function'])}</td><td>{c['before']:,}</td><td>{c['after']:,}</td>"
                                 f"<td>{c['change']:+,}</td></tr>" for c in b["function_changes"])
            functions += "</table>"
    headline = e(r.headline().replace("**", ""))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>ci-bench report</title>"
            "<style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:left}</style></head><body>"
            f"<h1>{headline}</h1><table><tr><th>benchmark</th><th>metric</th><th>baseline</th><th>now</th>"
            f"<th>change</th><th>status</th></tr>{rows}</table>{functions}"
            f"<details><summary>unchanged</summary><table>{unchanged}</table></details></body></html>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="results.json from `ci-bench run`")
    parser.add_argument("--format", choices=("markdown", "html"), default="markdown")
    parser.add_argument("--limit", type=int, default=GITHUB_LIMIT, help="longest comment, in characters")
    args = parser.parse_args()
    results = load_results(args.results, "report.py")
    sys.stdout.write(render_html(results) if args.format == "html" else render_markdown(results, args.limit))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Renders a ci-bench results.json as a pull-request comment (Markdown) or an HTML page.

    tools/report.py build/ci-bench/results.json > comment.md
    tools/report.py build/ci-bench/results.json --format html > report.html

The comment never exceeds GitHub's limit (65 536 characters): the least important parts go first
(unchanged benchmarks, then per-function detail, then table rows) and the comment says what was cut.
results.json may come from a fork's run: every field is type-checked on reading (results_file.py),
and every string and number from it is escaped, so nothing in it can break a table, inject markup,
mention someone or make a link.

Commits and links to the run come from --base-sha, --head-sha, --run-url and --artifact-url, or else
from GitHub Actions' variables (GITHUB_SHA; GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID).
"""
import argparse
import collections
import os
import re
import sys

from results_file import load_results
from visible_text import HIDDEN, visible

GITHUB_LIMIT = 65536
MARKER = "<!-- ci-bench-report -->"  # tools/post_comment.py finds its sticky comment by this
SEVERITY = {s: i for i, s in enumerate(("error", "fail", "incomparable", "nondeterministic", "warn", "improved", "new", "pass"))}
# One icon per status, each distinct: an error is not a regression, an improvement is not a pass.
ICON = {"error": "❌", "fail": "🔴", "incomparable": "❔", "nondeterministic": "🎲", "warn": "🟡",
        "improved": "📉", "new": "🆕", "pass": "🟢"}
LABEL = {"incomparable": "not comparable"}
COUNTED = {"fail": ("failed",) * 2, "error": "error", "incomparable": ("not comparable",) * 2,
           "nondeterministic": ("nondeterministic",) * 2, "warn": ("warned",) * 2, "improved": ("improved",) * 2,
           "new": ("new",) * 2, "pass": ("passed",) * 2}
MAX_CELL = 300   # characters of one name or message in a table
MAX_LIST = 50    # rows of the short tables (comparisons, removed baselines, toolchain warnings)
SHA = re.compile(r"[0-9a-f]{7,64}")
URL = re.compile(r"https?://[^\s<>()\[\]\"'`\\]+")
ZWJ = "\u200d"


def md(text, limit=MAX_CELL):
    """Literal text for Markdown, one line: no markup, no HTML, no @mention, #reference or autolink,
    no control character or direction override (shown as an escape)."""
    text = visible(text, keep="\t\r\n")
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    # A zero-width joiner after @ and # stops mentions and references; inside :// and www. it stops autolinks.
    text = re.sub(r"[@#]|:(?=//)|[wW](?=[wW]{2}\.)", lambda m: m.group() + ZWJ, text)
    out = []
    for c in text:
        if c in "\r\n\t":
            out.append(" ")
        elif c in "<>&":
            out.append({"<": "&lt;", ">": "&gt;", "&": "&amp;"}[c])
        elif c in "\\`*_{}[]()#+-.!|~":
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def number(n):
    return "—" if n is None else f"{n:,}"


def size(n):
    """Bytes as people budget them: 812 B, 30.0 KiB, 2.41 MiB."""
    if n is None:
        return "—"
    value, unit = float(n), "B"
    for next_unit in ("KiB", "MiB", "GiB", "TiB"):
        if abs(value) < 1024:
            break
        value, unit = value / 1024, next_unit
    if unit == "B":
        return f"{n} B"
    return f"{value:.{2 if abs(value) < 10 else 1 if abs(value) < 100 else 0}f} {unit}"


def value(metric, n):
    """A metric's value: bytes for the heap and size metrics (*_bytes), else a count."""
    return size(n) if metric.endswith("_bytes") else number(n)


def main_metric(b):
    """The metric a benchmark is known by: instructions, else its heap peak, else its code size."""
    metrics = b.get("metrics") or {}
    return next((m for m in ("instructions", "heap_peak_bytes", "text_bytes") if m in metrics), "instructions")


def percent(p):
    if p is None:
        return "—"
    return f"{p:+.4f} %" if abs(p) < 1 else f"{p:+.2f} %"


def ratio(r):
    return "—" if r is None else f"{r:.4f}×"


def plural(n, words):
    """'1 error', '2 errors': `words` is a word, or (singular, plural)."""
    one, many = words if isinstance(words, tuple) else (words, words + "s")
    return f"{n} {one if n == 1 else many}"


def first_line(text):
    lines = (text or "").strip().splitlines()
    return lines[0] if lines else ""


class Report:
    """What the comment and the page show, in order of importance; the renderers only format it."""

    def __init__(self, results, context=None):
        self.results = results
        self.context = context or {}
        self.benchmarks = sorted(results["benchmarks"], key=lambda b: (SEVERITY[b["status"]], b["name"]))
        self.counts = collections.Counter(b["status"] for b in self.benchmarks)

    def verdict(self):
        """(key, icon, words): never green for a run that did not finish or whose gate did not pass."""
        r, n = self.results, self.counts
        exit_code = r.get("exit_code")
        if "error" in r:
            return "run-error", "🛑", "the run did not finish"
        if r.get("interrupted"):
            return "interrupted", "⏹️", "interrupted, results incomplete"
        for status, words in (("error", "errors"), ("fail", "regressions"), ("incomparable", "baselines not comparable"),
                              ("nondeterministic", "nondeterministic counts")):
            if n[status]:
                return status, ICON[status], words
        if exit_code:
            return "gate-failed", "🔴", f"the gate failed (exit code {exit_code})"
        if n["warn"]:
            return "warn", ICON["warn"], "warnings"
        if not self.benchmarks:
            return "empty", "⚪", "no benchmarks measured"
        return "pass", ICON["pass"], "no regressions"

    def summary(self):
        parts = [plural(self.counts[s], COUNTED[s]) for s in SEVERITY if self.counts[s]]
        total = plural(len(self.benchmarks), "benchmark")
        reused = sum(1 for b in self.benchmarks if b.get("reused"))
        # Reused counts were not measured again: their code, inputs and Valgrind did not change.
        note = f" ({reused} reused, unchanged since their baselines)" if reused else ""
        return (f"{', '.join(parts)} of {total}" if parts else total) + note

    def run_problem(self):
        """The run-level error or interruption, said plainly; None when the run finished."""
        r = self.results
        if "error" in r:
            return f"The run did not finish: {first_line(r['error'])}"
        if r.get("interrupted"):
            return "The run was interrupted: only the benchmarks below finished, and the gate did not pass."
        if "history_error" in r:
            return f"The run finished but was not recorded in the history: {first_line(r['history_error'])}"
        return None

    def error_rows(self):
        return [(b["name"], b.get("error_kind", ""), first_line(b.get("error")))
                for b in self.benchmarks if b["status"] == "error"]

    def change_rows(self):
        """(benchmark, metric, baseline, now, change, status) for every benchmark with news but no error."""
        rows = []
        for b in self.benchmarks:
            status = b["status"]
            if status in ("pass", "error"):
                continue
            decisive = b.get("metric_status") or {}
            for metric in sorted(decisive) or [main_metric(b)]:
                base = (b.get("baseline") or {}).get(metric)
                change = "not compared" if status == "incomparable" else percent((b.get("change_pct") or {}).get(metric))
                if change == "—" and base == 0 and b["metrics"].get(metric):
                    change = "up from 0"  # no percentage exists; the terminal says "+inf%: was 0"
                rows.append((b["name"], metric, value(metric, base), value(metric, b["metrics"].get(metric)), change,
                             decisive.get(metric, status) if status != "incomparable" else status))
        return rows

    def function_tables(self):
        """(benchmark, rows, note): the functions whose self instructions changed most."""
        return [(b["name"], [change_row(c, "function", number, lambda n: f"{n:+,}") for c in b["function_changes"]],
                 floor_note("functions", b.get("function_changes_floor"), number))
                for b in self.benchmarks if b["status"] in ("fail", "warn") and b.get("function_changes")]

    def size_tables(self):
        """(benchmark, what, first column, rows, note): the allocation sites and symbols whose bytes
        changed most. Symbols with no rows but a note: the sections changed, none of the kept symbols."""
        tables = []
        for b in self.benchmarks:
            if b["status"] not in ("fail", "warn"):
                continue
            signed = lambda n: ("+" if n > 0 else "") + size(n)
            if b.get("allocation_site_changes"):
                what = ("bytes live at the peak" if b.get("allocation_site_metric") == "heap_peak_bytes"
                        else "bytes allocated")
                tables.append((b["name"], f"the allocation sites that changed most ({what})", "allocation site",
                               [change_row(c, "site", size, signed) for c in b["allocation_site_changes"]],
                               floor_note("allocation sites", b.get("allocation_site_changes_floor"), size)))
            if b.get("symbol_changes") or b.get("symbol_changes_floor") is not None:
                tables.append((b["name"], "the symbols that changed most (bytes)", "symbol",
                               [change_row(c, "symbol", size, signed) for c in b.get("symbol_changes", [])],
                               floor_note("symbols", b.get("symbol_changes_floor"), size)))
        return tables

    def comparison_rows(self):
        return [(c["name"], c["candidate"], c["baseline"], ratio(c["ratio"].get("instructions")),
                 ratio(c["ratio"].get("estimated_cycles")), first_line(c.get("error")))
                for c in self.results.get("comparisons", [])]

    def unchanged_rows(self):
        """(name, its main metric, the value): an artifact's main metric is its code size, not instructions."""
        return [(b["name"], main_metric(b), value(main_metric(b), b["metrics"].get(main_metric(b))))
                for b in self.benchmarks if b["status"] == "pass"]

    def toolchain_warnings(self):
        return [(b["name"], d) for b in self.benchmarks for d in b.get("fingerprint_differences", [])]

    def reproduce(self):
        """The commands that reproduce the numbers, as the config's [report] spells them (results.json's
        "reproduce"); names only where a shell and a fence keep them literal."""
        given = self.results.get("reproduce") or {}
        gate = literal_command(given.get("command"))
        driver = literal_command(given.get("driver")) or "ci-bench"
        lines = [gate or f"{driver} run"]
        for b in self.benchmarks:
            if b["status"] in ("fail", "error") and len(lines) < 6 and len(b["name"]) < 200:
                pattern = "^" + "".join("\\" + c if c in r".^$*+?()[]{}|\\" else c for c in b["name"]) + "$"
                quoted = "'" + pattern.replace("'", "'\\''") + "'"
                if not UNSAFE_IN_FENCE.search(quoted):
                    lines.append(f"{driver} run --filter {quoted}")
        if self.counts["incomparable"]:
            lines.append(f"{driver} run --update-baselines   # re-measure the baselines with this toolchain")
        return lines


# What cannot stand on a line of a code fence as it is: control characters, a backtick (it could
# close the fence), and the bidirectional overrides that make a line read other than it runs.
UNSAFE_IN_FENCE = re.compile(f"[`{HIDDEN}]")


def literal_command(text):
    """`text` if it can stand on a line of a code fence as it is and is at most 200 characters, else
    None. It comes from the measured branch's config, so a fork chooses it: only shown, never run."""
    if isinstance(text, str) and 0 < len(text) <= 200 and not UNSAFE_IN_FENCE.search(text):
        return text
    return None


def table(header, rows, right=()):
    """A GFM table; columns whose index is in `right` are right-aligned (numbers only)."""
    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def context_parts(context):
    """Where the run was measured, for every format: (label, commit, None) or (None, text, url)."""
    parts = [(key, context[key][:12], None) for key in ("base", "head") if context.get(key)]
    if context.get("run_url"):
        parts.append((None, "the run", context["run_url"]))
    if context.get("artifact_url"):
        parts.append((None, "results and raw Valgrind files", context["artifact_url"]))
    return parts


def context_line(context):
    parts = [f"{label} `{text}`" if label else f"[{text}]({url})" for label, text, url in context_parts(context)]
    return "Measured: " + " · ".join(parts) if parts else None


def change_row(c, key, unit, signed):
    """(name, before, after, change); an entry the baseline did not keep has only bounds."""
    bound = c.get("before_at_most") is True
    return (c[key], ("≤ " if bound else "") + unit(c["before"]), unit(c["after"]),
            ("≥ " if bound else "") + signed(c["change"]))


def floor_note(what, floor, unit):
    """A baseline keeps only its biggest entries: said under the list, since one it did not keep has
    only a bound before, or is not listed while it stays below them."""
    if floor is None:
        return ""
    return (f"The baseline keeps only its biggest {what}, down to {unit(floor)}: one it did not keep shows "
            f"“≤ {unit(floor)}” before, or nothing while it stays below that.")


def render_markdown(results, limit=GITHUB_LIMIT, context=None):
    r = Report(results, context)
    errors, changes, functions, sizes = r.error_rows(), r.change_rows(), r.function_tables(), r.size_tables()
    rows = [("error", row) for row in errors] + [("change", row) for row in changes]
    unchanged, comparisons, warnings = r.unchanged_rows(), r.comparison_rows(), r.toolchain_warnings()
    gone = r.results.get("gone", [])
    uncounted = [(b["name"], sorted(set(b["uncounted_before_exec"]))) for b in r.benchmarks if b.get("uncounted_before_exec")]
    drifts = r.results.get("drift", [])
    cut = []

    def assemble(n_rows, n_functions, n_unchanged):
        # Sections are separate blocks joined by a blank line, so no table can run into the next part.
        key, icon, words = r.verdict()
        sections = [f"{MARKER}\n{icon} **ci-bench: {md(words)}**: {md(r.summary())}"]
        if r.run_problem():
            sections.append("> [!CAUTION]\n> " + md(r.run_problem()))
        if context_line(r.context):
            sections.append(context_line(r.context))
        if warnings:
            sections.append("> [!WARNING]\n> Some baselines were measured with a different toolchain: their counts are "
                            "not comparable. Refresh them with `--update-baselines`.")
            sections.append("\n".join(f"- {md(name)}: {md(d)}" for name, d in warnings[:MAX_LIST]))
        shown = rows[:n_rows]
        error_rows = [row for kind, row in shown if kind == "error"]
        change_rows = [row[:5] + (f"{ICON[row[5]]} {LABEL.get(row[5], row[5])}",) for kind, row in shown if kind == "change"]
        if error_rows:
            sections += ["### ❌ Errors", table(("benchmark", "kind", "error"), error_rows)]
        if change_rows:
            sections += ["### Changes", table(("benchmark", "metric", "baseline", "now", "change", "status"), change_rows,
                                              right=(2, 3, 4))]
        for name, changes_, note in functions[:n_functions]:
            sections += [f"#### {md(name)}: the functions that changed most (instructions, self)",
                         table(("function", "before", "after", "change"), changes_, right=(1, 2, 3))]
            sections += [md(note)] if note else []
        for name, what, column, changes_, note in sizes:
            sections.append(f"#### {md(name)}: {what}")
            sections += [table((column, "before", "after", "change"), changes_, right=(1, 2, 3))] if changes_ else \
                ["None of those the baseline kept changed."]
            sections += [md(note)] if note else []
        if comparisons:
            sections += ["### Comparisons", table(("comparison", "candidate", "baseline", "instructions ratio",
                                                   "estimated cycles ratio", "note"), comparisons[:MAX_LIST], right=(3, 4))]
        if drifts:
            more = f"\n- … and {len(drifts) - MAX_LIST} more" if len(drifts) > MAX_LIST else ""
            sections += ["### 📈 Drift",
                         "Each step passed the gate, but the sum did not stay small (from the history file):\n\n" +
                         "\n".join(f"- {md(d['benchmark'])} {md(d['metric'])}: {md(d['message'])}"
                                    for d in drifts[:MAX_LIST]) + more]
        if uncounted:
            more = f"\n- … and {len(uncounted) - MAX_LIST} more" if len(uncounted) > MAX_LIST else ""
            sections += ["### Not counted",
                         "Valgrind counts nothing of a program before it replaces itself with exec; in these "
                         "benchmarks a process did, so the figures start at the exec:\n\n" +
                         "\n".join(f"- {md(name)}: became {', '.join(md(p) for p in programs)}"
                                    for name, programs in uncounted[:MAX_LIST]) + more]
        if gone:
            more = f"\n- … and {len(gone) - MAX_LIST} more" if len(gone) > MAX_LIST else ""
            sections += ["### Removed baselines",
                         "These baselines have no benchmark any more (removed or renamed?); delete their files:\n\n" +
                         "\n".join(f"- {md(name)}" for name in gone[:MAX_LIST]) + more]
        if n_unchanged:
            sections += [f"<details><summary>{len(unchanged)} unchanged</summary>",
                         table(("benchmark", "metric", "value"), unchanged[:n_unchanged], right=(2,)), "</details>"]
        if cut:
            sections.append("_Cut to fit GitHub's comment limit: " + "; ".join(cut) +
                            ". Everything is in the results.json artifact._")
        sections.append("Reproduce locally (the counts are the same on any machine with the same toolchain):\n\n"
                        "```sh\n" + "\n".join(r.reproduce()) + "\n```")
        return "\n\n".join(sections) + "\n"

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
    # Least important first: the unchanged list, then per-function detail, then table rows.
    if len(text) > limit and n_unchanged:
        n_unchanged = 0
        cut.append(f"{len(unchanged)} unchanged benchmarks")
        text = assemble(n_rows, n_functions, n_unchanged)
    if len(text) > limit and n_functions:
        cut.append(f"{len(functions)} of {len(functions)} per-function tables")  # holds the note's place while measuring
        n_functions = largest_fitting(n_functions, lambda n: assemble(n_rows, n, 0))
        cut[-1] = f"{len(functions) - n_functions} of {len(functions)} per-function tables"
        text = assemble(n_rows, n_functions, n_unchanged)
    if len(text) > limit and n_rows:
        cut.append(f"{len(rows)} of {len(rows)} table rows")
        n_rows = largest_fitting(n_rows, lambda n: assemble(n, n_functions, 0))
        cut[-1] = f"{len(rows) - n_rows} of {len(rows)} table rows"
        text = assemble(n_rows, n_functions, n_unchanged)
    return text


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
        from report_html import render_html
        sys.stdout.write(render_html(Report(results, context)))
    else:
        sys.stdout.write(render_markdown(results, args.limit, context))


if __name__ == "__main__":
    main()

"""The pull-request comment: the facts of a run (report_facts.py) as GitHub Markdown, never longer
than GitHub's limit (65 536 characters). The least important parts go first (passed benchmarks,
then per-function detail, then table rows) and the comment says what was cut."""
import html
import re

from report_facts import ICON, LABEL, Report
from report_text import ZWJ, context_parts, md
from visible_text import visible

GITHUB_LIMIT = 65536
MARKER = "<!-- ci-bench-report -->"  # tools/post_comment.py finds its sticky comment by this
MAX_LIST = 50    # rows of the short tables (comparisons, removed baselines, toolchain warnings)


def table(header, rows, right=()):
    """A GFM table; columns whose index is in `right` are right-aligned (numbers only)."""
    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def context_line(context):
    parts = [f"{label} `{text}`" if label else f"[{text}]({url})" for label, text, url in context_parts(context)]
    return "Measured: " + " · ".join(parts) if parts else None


def code_block(lines):
    """A fenced block whose fence no line can close: longer than any run of backticks in it. The
    lines come from a checkout (a fork's): control characters and direction overrides are shown as escapes."""
    text = "\n".join(visible(line) for line in lines)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def line_section(name, rows, source, note, flamegraph, artifact_url):
    """One benchmark's changed lines, collapsed: the table, then the source around the biggest change,
    then where its flame graph is (a file of the run's artifact: GitHub cannot link into one)."""
    where = ""
    if flamegraph:
        artifact = f"[the run's results artifact]({artifact_url})" if artifact_url else "the run's results artifact"
        where = f"Flame graph: {md(flamegraph)} in {artifact}, or report\\.html beside it\\."
    if not rows:
        return [f"#### {md(name)}: source lines", md(note)] + ([where] if where else [])
    body = [table(("line", "ran in", "before", "after", "change"), rows, right=(2, 3, 4))]
    if source:
        file, lines = source
        width = len(str(lines[-1][0]))
        body += [md(file) + ":",
                 code_block([f"{'>' if here else ' '} {n:>{width}} | {text}" for n, here, text in lines])]
    if where:
        body.append(where)
    # The summary is HTML, not Markdown: escaped as HTML, mentions and references stopped as md() stops them.
    summary = re.sub(r"[@#]", lambda m: m.group() + ZWJ, html.escape(visible(name[:200])))
    return [f"<details><summary>{summary}: the source lines that changed most "
            f"({len(rows)})</summary>", *body, "</details>"]


def render_markdown(results, limit=GITHUB_LIMIT, context=None):
    r = Report(results, context)
    errors, changes, functions, sizes = r.error_rows(), r.change_rows(), r.function_tables(), r.size_tables()
    lines = r.line_tables()
    rows = [("error", row) for row in errors] + [("change", row) for row in changes]
    passed, comparisons, warnings = r.passed_rows(), r.comparison_rows(), r.toolchain_warnings()
    gone = r.results.get("gone", [])
    uncounted = [(b["name"], sorted(set(b["uncounted_before_exec"]))) for b in r.benchmarks if b.get("uncounted_before_exec")]
    drifts = r.results.get("drift", [])
    cut = []

    def assemble(n_rows, n_functions, n_passed, n_lines=len(lines)):
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
        notes = []  # each said once, under the tables it is about
        for name, changes_, note in functions[:n_functions]:
            sections += [f"#### {md(name)}: the functions that changed most (instructions, self)",
                         table(("function", "before", "after", "change"), changes_, right=(1, 2, 3))]
            notes += [note] if note and note not in notes else []
        for name, what, column, changes_, note in sizes:
            sections.append(f"#### {md(name)}: {what}")
            sections += [table((column, "before", "after", "change"), changes_, right=(1, 2, 3))] if changes_ else \
                ["None of those the baseline kept changed."]
            notes += [note] if note and note not in notes else []
        for name, rows_, source, note, flamegraph in lines[:n_lines]:
            sections += line_section(name, rows_, source, note, flamegraph, r.context.get("artifact_url"))
            notes += [note] if rows_ and note and note not in notes else []
        sections += [md(note) for note in notes]
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
        if n_passed:
            sections += [f"<details><summary>{r.passed_label(passed)}</summary>",
                         table(("benchmark", "metric", "value", "change"), passed[:n_passed], right=(2, 3)), "</details>"]
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

    n_rows, n_functions, n_passed = len(rows), len(functions), len(passed)
    text = assemble(n_rows, n_functions, n_passed)
    # Least important first: the list of passes, then per-line and per-function detail, then table rows.
    n_lines = len(lines)
    if len(text) > limit and n_passed:
        cut.append(f"{len(passed)} of {len(passed)} passed benchmarks")  # holds the note's place while measuring
        n_passed = largest_fitting(n_passed, lambda n: assemble(n_rows, n_functions, n))
        cut[-1] = f"{len(passed) - n_passed} of {len(passed)} passed benchmarks"
        text = assemble(n_rows, n_functions, n_passed)
    if len(text) > limit and n_lines:
        cut.append(f"{len(lines)} of {len(lines)} per-line tables")
        n_lines = largest_fitting(n_lines, lambda n: assemble(n_rows, n_functions, n_passed, n))
        cut[-1] = f"{len(lines) - n_lines} of {len(lines)} per-line tables"
        text = assemble(n_rows, n_functions, n_passed, n_lines)
    if len(text) > limit and n_functions:
        cut.append(f"{len(functions)} of {len(functions)} per-function tables")  # holds the note's place while measuring
        n_functions = largest_fitting(n_functions, lambda n: assemble(n_rows, n, 0, n_lines))
        cut[-1] = f"{len(functions) - n_functions} of {len(functions)} per-function tables"
        text = assemble(n_rows, n_functions, n_passed, n_lines)
    if len(text) > limit and n_rows:
        cut.append(f"{len(rows)} of {len(rows)} table rows")
        n_rows = largest_fitting(n_rows, lambda n: assemble(n, n_functions, 0, n_lines))
        cut[-1] = f"{len(rows) - n_rows} of {len(rows)} table rows"
        text = assemble(n_rows, n_functions, n_passed, n_lines)
    return text

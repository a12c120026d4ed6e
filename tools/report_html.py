"""The HTML page of tools/report.py --format html: the facts of a run (report_facts.py), laid out for reading.

Every table has a header row and borders; numbers are right-aligned in tabular figures; each status
has its own colour and word (no emoji: a browser without an emoji font would show boxes). Every
string and number from results.json goes through html.escape, its control characters and direction
overrides shown as escapes first (report_text.esc).
"""
from urllib.parse import quote

from report_text import context_parts, esc

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; color: #1f2328; max-width: 1200px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 20px; margin: 0 0 8px; padding: 12px 16px; border-radius: 6px; border: 1px solid; }
h2 { font-size: 16px; margin: 24px 0 8px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.verdict-pass { background: #dafbe1; border-color: #1a7f37; }
.verdict-warn, .verdict-nondeterministic { background: #fff8c5; border-color: #bf8700; }
.verdict-empty { background: #f6f8fa; border-color: #8c959f; }
.verdict-fail, .verdict-error, .verdict-incomparable, .verdict-gate-failed, .verdict-run-error, .verdict-interrupted {
  background: #ffebe9; border-color: #cf222e; }
.problem { background: #ffebe9; border-left: 4px solid #cf222e; padding: 8px 12px; }
.warning { background: #fff8c5; border-left: 4px solid #bf8700; padding: 8px 12px; }
table { border-collapse: collapse; margin: 4px 0 16px; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: baseline; }
th { background: #f6f8fa; }
tbody tr:nth-child(even) { background: #fbfcfd; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .name { font-family: ui-monospace, monospace; font-size: 13px; overflow-wrap: anywhere; }
.status { display: inline-block; min-width: 7em; padding: 0 8px; border-radius: 10px; font-weight: 600;
  text-align: center; white-space: nowrap; }
.s-error { background: #82071e; color: #fff; }
.s-fail { background: #cf222e; color: #fff; }
.s-incomparable { background: #8250df; color: #fff; }
.s-nondeterministic { background: #bc4c00; color: #fff; }
.s-warn { background: #d4a72c; color: #1f2328; }
.s-improved { background: #1a7f37; color: #fff; }
.s-new { background: #0969da; color: #fff; }
.s-pass { background: #dafbe1; color: #116329; }
pre.source { background: #f6f8fa; padding: 8px 12px; overflow-x: auto; font-size: 13px; }
object.flamegraph { width: 100%; max-width: 1200px; display: block; }
pre.source .here { background: #ffebe9; font-weight: 600; }
"""


def badge(status):
    return f'<span class="status s-{esc(status)}">{esc({"incomparable": "not comparable"}.get(status, status))}</span>'


def table(header, rows, right=(), name_columns=(0,), raw=()):
    """Rows of plain values, escaped; columns in `raw` are HTML built here, already escaped."""
    def cell(tag, i, value, header_row=False):
        cls = "num" if i in right else "name" if i in name_columns and not header_row else ""
        attr = f' class="{cls}"' if cls else ""
        if i in raw and not header_row:
            text = value
        elif getattr(value, "full", value) != value:  # a short name (report_facts.Named): the full one on hover
            text = f'<span title="{esc(value.full)}">{esc(value)}</span>'
        else:
            text = esc(value)
        return f"<{tag}{attr}>{text}</{tag}>"
    head = "".join(cell("th", i, h, True) for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def context(report):
    parts = [f"{label} <code>{esc(text)}</code>" if label else f'<a href="{esc(url)}">{esc(text)}</a>'
             for label, text, url in context_parts(report.context)]
    return f"<p>Measured: {' · '.join(parts)}</p>" if parts else ""


def render_html(report):
    key, _, words = report.verdict()
    out = [f'<h1 class="verdict-{esc(key)}">ci-bench: {esc(words)}</h1>', f"<p>{esc(report.summary())}</p>",
           context(report)]
    if report.run_problem():
        out.append(f'<p class="problem">{esc(report.run_problem())}</p>')
    warnings = report.toolchain_warnings()
    if warnings:
        out.append('<p class="warning">Some baselines were measured with a different toolchain: their counts are not '
                   "comparable. Refresh them with <code>--update-baselines</code>.</p>")
        out.append("<ul>" + "".join(f"<li><code>{esc(n)}</code>: {esc(d)}</li>" for n, d in warnings) + "</ul>")
    if report.error_rows():
        out += ["<h2>Errors</h2>", table(("benchmark", "status", "kind", "error"),
                                         [(n, badge("error"), k, e) for n, k, e in report.error_rows()], raw=(1,))]
    rows = [row[:5] + (badge(row[5]),) for row in report.change_rows()]
    if rows:
        out += ["<h2>Changes</h2>",
                table(("benchmark", "metric", "baseline", "now", "change", "status"), rows, right=(2, 3, 4), raw=(5,))]
    notes = []  # each said once, under the tables it is about
    for name, changes, note in report.function_tables():
        out += [f"<h3>{esc(name)}: the functions that changed most (instructions, self)</h3>",
                table(("function", "before", "after", "change"), changes, right=(1, 2, 3))]
        notes += [note] if note and note not in notes else []
    for name, what, column, changes, note in report.size_tables():
        out.append(f"<h3>{esc(name)}: {esc(what)}</h3>")
        out += [table((column, "before", "after", "change"), changes, right=(1, 2, 3))] if changes else \
            ["<p>None of those the baseline kept changed.</p>"]
        notes += [note] if note and note not in notes else []
    for name, rows_, source, note, flamegraph in report.line_tables():
        # Beside results.json, where report.html is written: a relative link. <object> keeps its tooltips.
        picture = (f"<p><a href='{esc(quote(flamegraph))}'>Flame graph</a> (widths: instructions now; red: slower, "
                   f"blue: faster):</p><object class='flamegraph' type='image/svg+xml' data='{esc(quote(flamegraph))}'>"
                   f"{esc(flamegraph)}</object>") if flamegraph else ""
        if not rows_:
            out += [f"<h3>{esc(name)}: source lines</h3>", f"<p>{esc(note)}</p>", picture]
            continue
        out += [f"<details open><summary><h3 style='display:inline'>{esc(name)}: the source lines that changed most "
                "(instructions, self)</h3></summary>",
                table(("line", "ran in", "before", "after", "change"), rows_, right=(2, 3, 4), name_columns=(0, 1))]
        if source:
            file, lines = source
            width = len(str(lines[-1][0]))
            out.append(f"<p><code>{esc(file)}</code>:</p><pre class='source'>" + "\n".join(
                f"<span class='{'here' if here else ''}'>{'&gt;' if here else ' '} {n:>{width}} | {esc(text)}</span>"
                for n, here, text in lines) + "</pre>")
        out += [picture, "</details>"]
        notes += [note] if note and note not in notes else []
    out += [f"<p>{esc(note)}</p>" for note in notes]
    if report.comparison_rows():
        out += ["<h2>Comparisons</h2>", table(("comparison", "candidate", "baseline", "instructions ratio",
                                               "estimated cycles ratio", "note"), report.comparison_rows(), right=(3, 4))]
    gone = report.results.get("gone", [])
    if gone:
        out += ["<h2>Removed baselines</h2><p>These baselines have no benchmark any more (removed or renamed?); "
                "delete their files:</p>", "<ul>" + "".join(f"<li><code>{esc(g)}</code></li>" for g in gone) + "</ul>"]
    passed = report.passed_rows()
    if passed:
        out.append(f"<details open><summary><h2 style='display:inline'>{esc(report.passed_label(passed))}</h2></summary>"
                   + table(("benchmark", "metric", "value", "change"), passed, right=(2, 3)) + "</details>")
    out += ["<h2>Reproduce locally</h2>", "<pre><code>" + esc("\n".join(report.reproduce())) + "</code></pre>"]
    return ("<!doctype html>\n<html lang='en'><head><meta charset='utf-8'><title>ci-bench: " + esc(words) +
            "</title><style>" + STYLE + "</style></head><body>\n" + "\n".join(p for p in out if p) + "\n</body></html>\n")

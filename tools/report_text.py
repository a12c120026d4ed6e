"""How the pull-request comment (report_markdown.py), the HTML page (report_html.py) and the drift
list (drift_list.py) write what they show: outside text escaped for Markdown or HTML, numbers, bytes,
percentages and ratios, and where the run was measured. One module that each of them imports, so
that they write a value the same way and none of them imports another."""
import html
import re

from visible_text import visible

MAX_CELL = 300   # characters of one name or message in a table
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


def esc(value):
    """Literal text for HTML, its control characters and direction overrides shown as escapes."""
    return html.escape(visible(value, keep="\t\n"), quote=True)


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


def label(metric, definitions):
    """What a person reads for a metric: its label in metric_definitions ("Heap peak"), else its name."""
    return definitions.get(metric, {}).get("label") or metric


def value(metric, n, definitions):
    """A metric's value: in bytes where results.json's metric_definitions says so, else a count."""
    return size(n) if definitions.get(metric, {}).get("unit") == "bytes" else number(n)


def percent(p):
    """A change: two decimals, four below 1 %, and never "-0.0000 %" for a change too small to show."""
    if p is None:
        return "—"
    if p != 0 and abs(p) < 0.00005:
        return f"{'+' if p > 0 else '-'}<0.0001 %"
    if abs(p) >= 1e6:  # a rise from almost nothing: three figures, not a 300-digit cell
        return f"{p:+.3g} %"
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


def context_parts(context):
    """Where the run was measured, for every format: (label, commit, None) or (None, text, url)."""
    parts = [(key, context[key][:12], None) for key in ("base", "head") if context.get(key)]
    if context.get("run_url"):
        parts.append((None, "the run", context["run_url"]))
    if context.get("artifact_url"):
        parts.append((None, "results and raw Valgrind files", context["artifact_url"]))
    return parts

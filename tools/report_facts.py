"""The facts of a run that the pull-request comment and the HTML page show, in order of importance:
the verdict, the counts, and the rows of each table with their values already written out. The
renderers (report_markdown.py, report_html.py) only lay them out, so both say the same thing."""
import collections
import re

from results_file import metric_definitions
from report_text import label, first_line, number, percent, plural, ratio, size, value
from visible_text import HIDDEN

SEVERITY = {s: i for i, s in enumerate(("error", "fail", "incomparable", "nondeterministic", "warn", "improved", "new", "pass"))}
# One icon per status, each distinct: an error is not a regression, an improvement is not a pass.
ICON = {"error": "❌", "fail": "🔴", "incomparable": "❔", "nondeterministic": "🎲", "warn": "🟡",
        "improved": "📉", "new": "🆕", "pass": "🟢"}
LABEL = {"incomparable": "not comparable"}
COUNTED = {"fail": ("failed",) * 2, "error": "error", "incomparable": ("not comparable",) * 2,
           "nondeterministic": ("nondeterministic",) * 2, "warn": ("warned",) * 2, "improved": ("improved",) * 2,
           "new": ("new",) * 2, "pass": ("passed",) * 2}


def main_metric(b, definitions):
    """The metric a benchmark is known by: the first of its metrics that metric_definitions marks
    primary (instructions, else its heap peak, else its code size)."""
    metrics = b.get("metrics") or {}
    return next((m for m, d in definitions.items() if d.get("primary") and m in metrics), "instructions")


class Report:
    """What the comment and the page show, in order of importance; the renderers only format it."""

    def __init__(self, results, context=None):
        self.results = results
        self.context = context or {}
        self.benchmarks = sorted(results["benchmarks"], key=lambda b: (SEVERITY[b["status"]], b["name"]))
        self.counts = collections.Counter(b["status"] for b in self.benchmarks)
        self.definitions = metric_definitions(results)

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
        blocked = sum(1 for b in self.benchmarks if b.get("reuse_blocked"))
        notes = ([f"{reused} reused, unchanged since their baselines"] if reused else []) + (
            [f"{blocked} measured every time: their runs do what no digest can prove unchanged (reuse_blocked in results.json)"]
            if blocked else [])
        note = f" ({'; '.join(notes)})" if notes else ""
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
            for metric in sorted(decisive) or [main_metric(b, self.definitions)]:
                base = (b.get("baseline") or {}).get(metric)
                change = "not compared" if status == "incomparable" else percent((b.get("change_pct") or {}).get(metric))
                if change == "—" and base == 0 and b["metrics"].get(metric):
                    change = "up from 0"  # no percentage exists; the terminal says "+inf%: was 0"
                rows.append((b["name"], label(metric, self.definitions), value(metric, base, self.definitions), value(metric, b["metrics"].get(metric), self.definitions), change,
                             decisive.get(metric, status) if status != "incomparable" else status))
        return rows

    def function_tables(self):
        """(benchmark, rows, note): the functions whose self instructions changed most."""
        return [(b["name"], [function_row(c, b.get("short_names") or {}) for c in b["function_changes"]],
                 floor_note("functions", b.get("function_changes_floor")))
                for b in self.benchmarks if b["status"] in ("fail", "warn") and b.get("function_changes")]

    def line_tables(self):
        """(benchmark, rows, excerpt, note, flame graph file) for each benchmark that changed (fail,
        warn, improved): the source lines whose self instructions changed most, and the source around
        the biggest; or no rows and the reason lines are unavailable."""
        tables = []
        for b in self.benchmarks:
            if b["status"] not in ("fail", "warn", "improved"):
                continue
            if b.get("line_changes"):
                tables.append((b["name"], [line_row(c, b.get("short_names") or {}) for c in b["line_changes"]],
                               excerpt(b.get("source_excerpt")),
                               floor_note("lines", b.get("line_changes_floor")), b.get("flamegraph")))
            elif b.get("lines_unavailable"):
                tables.append((b["name"], [], None, b["lines_unavailable"], b.get("flamegraph")))
        return tables

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
                               floor_note("allocation sites", b.get("allocation_site_changes_floor"))))
            if b.get("symbol_changes") or b.get("symbol_changes_floor") is not None:
                tables.append((b["name"], "the symbols that changed most (bytes)", "symbol",
                               [change_row(c, "symbol", size, signed) for c in b.get("symbol_changes", [])],
                               floor_note("symbols", b.get("symbol_changes_floor"))))
        return tables

    def comparison_rows(self):
        return [(c["name"], c["candidate"], c["baseline"], ratio(c["ratio"].get("instructions")),
                 ratio(c["ratio"].get("estimated_cycles")), first_line(c.get("error")))
                for c in self.results.get("comparisons", [])]

    def passed_rows(self):
        """(name, its main metric, the value, its change) of each pass: an artifact's main metric is its
        code size, not instructions. A pass may have moved, within its thresholds: the change says so."""
        rows = []
        for b in self.benchmarks:
            if b["status"] == "pass":
                changes = b.get("change_pct") or {}
                main = main_metric(b, self.definitions)
                if not changes.get(main):  # the main metric still, but another gated one moved: show that one
                    moved = [m for m in (b.get("thresholds") or {}) if changes.get(m)]
                    main = max(moved, key=lambda m: abs(changes[m])) if moved else main
                change = changes.get(main)
                rows.append((b["name"], label(main, self.definitions), value(main, b["metrics"].get(main), self.definitions),
                             "no change" if not change else percent(change)))
        return rows

    def passed_label(self, rows):
        """"12 passed", and how many of them moved within their thresholds, so none hides under "unchanged"."""
        moved = sum(1 for row in rows if row[3] != "no change")
        return f"{len(rows)} passed" + (f" ({moved} moved within {'its' if moved == 1 else 'their'} thresholds)" if moved else "")

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
                # explain: the one benchmark again, and where its instructions go (functions, lines, flame graph)
                quoted = "'" + b["name"].replace("'", "'\\''") + "'"
                if not UNSAFE_IN_FENCE.search(quoted):
                    lines.append(f"{driver} explain {quoted}")
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


def change_row(c, key, unit, signed):
    """(name, before, after, change); an entry the baseline did not keep has only bounds."""
    bound = c.get("before_at_most") is True
    return (c[key], ("≤ " if bound else "") + unit(c["before"]), unit(c["after"]),
            ("≥ " if bound else "") + signed(c["change"]))


class Named(str):
    """A short name that knows its full one: the HTML page shows the full name on hover."""
    def __new__(cls, short, full):
        named = super().__new__(cls, short)
        named.full = full
        return named


def function_row(c, short_names):
    """change_row of a function, by its short name (results.json's short_names), saying when it
    went to 0 because its code is now inlined into others."""
    name, *rest = change_row(c, "function", number, lambda n: f"{n:+,}")
    full, name = name, short_names.get(name, name)
    if c.get("inlined_into"):
        name += f" (now inlined into {', '.join(short_names.get(f, f) for f in c['inlined_into'])}: its instructions count there)"
    return (Named(name, full), *rest)


def line_row(c, short_names):
    """(file:line, the functions it ran in, before, after, change)."""
    where = f"{c['file']}:{c['line']}"
    if c.get("gone"):
        where += " (gone: the baseline's line; its text is on no line now)"
    elif c.get("edited"):
        where += " (edited)"
    ran_in = ", ".join(short_names.get(f, f) for f in c.get("functions", []))
    if c.get("inlined") and c.get("function"):
        ran_in = f"{short_names.get(c['function'], c['function'])}, inlined into {ran_in}"
    return (where, ran_in) + change_row(c, "file", number, lambda n: f"{n:+,}")[1:]


def excerpt(e):
    """(file, [(line number, is the changed line, text)]) of a source excerpt, or None."""
    if not e or not e["lines"]:
        return None
    return e["file"], [(e["first_line"] + i, e["first_line"] + i == e["line"], text) for i, text in enumerate(e["lines"])]


def floor_note(what, floor):
    """A baseline keeps only its biggest entries: said once under the lists (the same words for
    every benchmark), since one it did not keep has only a bound before, or is not listed while it
    stays below them."""
    if floor is None:
        return ""
    return (f"A baseline keeps only its benchmark's biggest {what}: one it did not keep shows “≤” the "
            f"smallest it kept as its value before, or is not listed while it stays below that.")

"""Reading a ci-bench results.json: the one loader of the scripts in tools/.

results.json may come from a fork's run, so nothing in it is trusted: every field the scripts read
is checked against harness/schema/results.schema.json's rules, written out here by hand because the
scripts use the standard library only (tests/tools/test_results_file.py keeps the two in step).
Unknown fields are allowed, as in the schema, so the file can gain fields.
"""
import json
import re
import sys

SCHEMA = 1
STATUSES = ("pass", "warn", "fail", "improved", "new", "error", "incomparable", "nondeterministic")
ERROR_KINDS = ("config", "setup", "launch", "timeout", "crash", "exit_status", "parse", "baseline", "io",
               "internal", "interrupted")
INT64 = (-2**63, 2**63 - 1)


class Invalid(Exception):
    def __init__(self, where, message):
        super().__init__(f"{where}: {message}" if where else message)  # where: the JSON path, "" at the top


def describe(value):
    """The offending value, short, as JSON: no control character reaches the terminal."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def expected(what, value, where):
    raise Invalid(where, f"expected {what}, got {describe(value)}")


def child(where, key):
    if isinstance(key, int):
        return f"{where}[{key}]"
    step = key if re.fullmatch(r"[A-Za-z0-9_]{1,64}", key) else "[" + describe(key) + "]"
    return step if not where else where + ("." + step if not step.startswith("[") else step)


# Each check takes (value, where) and returns the value, numbers normalised, or raises Invalid.

def integer(low=INT64[0], high=INT64[1]):
    def check(v, where):
        # As JSON Schema: 12.0 is an integer, true is not.
        if isinstance(v, bool) or not (isinstance(v, int) or isinstance(v, float) and v.is_integer()):
            expected("an integer", v, where)
        if not low <= v <= high:
            expected(f"an integer from {low} to {high}", v, where)
        return int(v)
    return check


def number(v, where):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        expected("a number", v, where)
    return v


def string(v, where):
    if not isinstance(v, str):
        expected("a string", v, where)
    try:  # JSON's \ud800 escape gives a lone surrogate, which no UTF-8 text (a file, a page) can hold
        v.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(where, "holds a lone surrogate (\\ud800-\\udfff), which is not text")
    return v


def boolean(v, where):
    return v if isinstance(v, bool) else expected("true or false", v, where)


def one_of(*values):
    def check(v, where):
        if v not in values or isinstance(v, bool):
            expected("one of " + ", ".join(map(json.dumps, values)), v, where)
        return v
    return check


def const(value):
    def check(v, where):
        if v != value or isinstance(v, bool):
            expected(json.dumps(value), v, where)
        return v
    return check


def or_null(check):
    return lambda v, where: None if v is None else check(v, where)


def array(item):
    def check(v, where):
        if not isinstance(v, list):
            expected("an array", v, where)
        return [item(x, child(where, i)) for i, x in enumerate(v)]
    return check


def mapping(value, key=None):
    """An object whose every value passes `value` (and every key `key`)."""
    def check(v, where):
        if not isinstance(v, dict):
            expected("an object", v, where)
        if key:
            for k in v:
                key(k, child(where, k))
        return {k: value(x, child(where, k)) for k, x in v.items()}
    return check


def fields(required, optional):
    """An object with these fields; others pass through unchecked, as the schema allows."""
    def check(v, where):
        if not isinstance(v, dict):
            expected("an object", v, where)
        out = dict(v)
        for name, field in {**required, **optional}.items():
            if name in v:
                out[name] = field(v[name], child(where, name))
            elif name in required:
                raise Invalid(child(where, name), "missing")
        return out
    return check


def file_name(v, where):
    """A file beside results.json: a name, no folder, nothing hidden, no link elsewhere."""
    string(v, where)
    if not re.fullmatch(r"[^/.\\][^/\\]*", v) or ":" in v:
        raise Invalid(where, f"must be a file name in the results folder, not {describe(v)}")


status = one_of(*STATUSES)
strings = array(string)
counts_by_name = mapping(integer())
number_or_null = or_null(number)

benchmark = fields(
    {"name": string, "status": status, "metrics": counts_by_name},
    {"baseline": or_null(counts_by_name), "change_pct": mapping(number_or_null), "metric_status": mapping(status),
     "budget": counts_by_name, "error": string, "error_kind": one_of(*ERROR_KINDS), "reused": boolean,
     "fingerprint_differences": strings, "baseline_written": boolean, "tool": string, "functions": counts_by_name,
     "function_changes": array(fields({"function": string, "before": integer(), "after": integer(), "change": integer()},
                                      {"before_at_most": boolean, "inlined_into": strings})),
     "short_names": mapping(string),
     "function_changes_floor": integer(), "allocation_site_changes_floor": integer(), "symbol_changes_floor": integer(),
     "line_changes": array(fields({"file": string, "line": integer(1), "before": integer(), "after": integer(),
                                   "change": integer(), "functions": strings},
                                  {"before_at_most": boolean, "gone": boolean, "edited": boolean, "function": string,
                                   "inlined": boolean})),
     "line_changes_floor": integer(), "lines_unavailable": string, "flamegraph": file_name,
     "source_excerpt": fields({"file": string, "line": integer(1), "first_line": integer(1), "lines": strings}, {}),
     "allocation_sites": mapping(fields({"total_bytes": integer(), "peak_bytes": integer()}, {})),
     "allocation_site_metric": one_of("heap_peak_bytes", "heap_total_bytes"),
     "allocation_site_changes": array(fields({"site": string, "before": integer(), "after": integer(), "change": integer()}, {"before_at_most": boolean})),
     "symbols": counts_by_name,
     "symbol_changes": array(fields({"symbol": string, "before": integer(), "after": integer(), "change": integer()}, {"before_at_most": boolean})),
     "compiler": string, "seconds": number, "files": strings, "content_fingerprint": string,
     "unstable_events": strings,
     "thresholds": mapping(fields({}, {"warn": number, "fail": number, "warn_bytes": integer(0), "fail_bytes": integer(0)}))})

comparison = fields({"name": string, "baseline": string, "candidate": string, "ratio": mapping(number_or_null)},
                    {"error": string})

commit = fields({"sha": or_null(string), "branch": string}, {"parent": string, "time": integer()})

drift = fields({"benchmark": string, "metric": string, "change_pct": number, "points": integer(0), "message": string},
               {"branch": string, "largest_step_pct": number, "warn_pct": number, "threshold_pct": number,
                "each_step_under_warn": boolean})

# What each metric is (the driver's table, metrics/metrics.hpp): the scripts keep no list of their own.
metric_definition = fields({"name": string, "unit": one_of("events", "bytes", "blocks"),
                            "source": one_of("count_run", "derived", "dhat", "elf")},
                           {"label": string, "primary": boolean})


def metric_table(v, where):
    """The list of definitions: each name once, at most one primary metric per source."""
    table = array(metric_definition)(v, where)
    names, primaries = set(), set()
    for i, d in enumerate(table):
        if d["name"] in names:
            raise Invalid(child(child(where, i), "name"), f"{describe(d['name'])} is defined twice")
        names.add(d["name"])
        if d.get("primary"):
            if d["source"] in primaries:
                raise Invalid(child(child(where, i), "primary"), f"a second primary metric of source {d['source']}")
            primaries.add(d["source"])
    return table

results = fields(
    {"schema": const(SCHEMA), "benchmarks": array(benchmark)},
    {"tool": string, "fingerprint": mapping(string), "updating_baselines": boolean, "seconds": number,
     "counts": mapping(integer(0), key=status), "exit_code": integer(0, 255), "interrupted": boolean, "error": string, "history_error": string,
     "gone": strings, "skipped": strings, "comparisons": array(comparison), "reused": integer(0),
     "allow_incomparable": boolean, "commit": commit, "drift": array(drift), "config_digest": string,
     "reproduce": fields({}, {"command": string, "driver": string}),
     "driver": fields({"version": string}, {"build": string}), "verified": boolean, "metric_definitions": metric_table,
     "shard": fields({"index": integer(1), "count": integer(1), "benchmarks": strings},
                     {"comparisons": array(fields({"name": string, "baseline": string, "candidate": string}, {}))})})


def metric_definitions(results):
    """{metric: its definition}, in the driver's order (the order reports list metrics in)."""
    return {d["name"]: d for d in results.get("metric_definitions", [])}


def no_duplicates(pairs):
    """Python would keep the last of two equal keys and another reader the first: refuse both."""
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise ValueError(f"the key {describe(k)} appears twice in one object")
        seen.add(k)
    return dict(pairs)


def not_json(token):
    raise ValueError(f"{token} is not JSON")


def parse(text):
    """The checked document, or raises Invalid / ValueError."""
    document = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=not_json)
    if isinstance(document, dict) and isinstance(document.get("schema"), int) and document["schema"] != SCHEMA:
        raise Invalid("schema", f"this is schema {document['schema']}; these tools read schema {SCHEMA} "
                                "(use the tools of the ci-bench that wrote it)")
    checked = results(document, "")
    # What a benchmark's metrics are (units, the one it is known by) is read from here, never guessed;
    # only a run with no benchmarks (one that did not finish, written by the action's shell) has none.
    if checked["benchmarks"] and "metric_definitions" not in checked:
        raise Invalid("metric_definitions", "missing: the benchmarks' metrics need their definitions "
                                            "(a results.json of a ci-bench older than these scripts?)")
    return checked


def load_results(path, program):
    """The checked results.json, or exit with `program: path: json.path: what is wrong`."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        sys.exit(f"{program}: {path}: {e.strerror or e}")
    except UnicodeDecodeError as e:
        sys.exit(f"{program}: {path}: not UTF-8 (byte {e.start})")
    try:
        return parse(text)
    except Invalid as e:
        sys.exit(f"{program}: {path}: {e}")
    except (ValueError, RecursionError) as e:
        sys.exit(f"{program}: {path}: not valid JSON: {e}")

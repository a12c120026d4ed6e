"""tools/report.py: the PR comment from a real run and from hand-made results, rendered to HTML by
cmark-gfm with GitHub's extensions, so the assertions are on what a reader of the PR sees."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from html.parser import HTMLParser

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REPORT = os.path.join(REPO, "tools", "report.py")
CIBENCH, TESTPROG, TESTSUITE = os.environ["CIBENCH"], os.environ["TESTPROG"], os.environ["TESTSUITE"]
HOSTILE = "evil | <img src=x onerror=alert(1)> `tick` *bold* @alice #12 https://evil.example/x www.evil.com"
NO_GITHUB = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
ZWJ = "\u200d"


def render(path, *args, env=None):
    return subprocess.run([sys.executable, REPORT, path, *args], capture_output=True, text=True, env=env or NO_GITHUB)


class Page(HTMLParser):
    """What cmark-gfm made of the comment: tables (header and rows of (text, align)), headings, tags."""

    def __init__(self, markup):
        super().__init__()
        self.tables, self.headings, self.tags, self.links, self.cell, self.heading = [], [], [], [], None, None
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"header": [], "rows": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self.cell = [tag, attrs.get("align", "left"), ""]
        elif re.fullmatch(r"h[1-6]", tag):
            self.heading = ""
        elif tag == "a":
            self.links.append(attrs.get("href"))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell:
            kind, align, text = self.cell
            (self.tables[-1]["header"] if kind == "th" else self.tables[-1]["rows"][-1]).append((text.strip(), align))
            self.cell = None
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(self.heading.strip())
            self.heading = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data
        if self.heading is not None:
            self.heading += data

    def body_rows(self, table):
        return [r for r in table["rows"] if r]


def gfm(markdown):
    """GitHub's renderer: raw HTML allowed (GitHub sanitises it later), GFM extensions on."""
    proc = subprocess.run(["cmark-gfm", "--unsafe", "-e", "table", "-e", "autolink", "-e", "tagfilter", "-e", "strikethrough"],
                          input=markdown, capture_output=True, text=True, check=True)
    return proc.stdout


def table_with(page, header_cell):
    return next(t for t in page.tables if header_cell in [h for h, _ in t["header"]])


class RealResults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cibench-report-")
        config = os.path.join(cls.dir, "ci-bench.toml")

        def write(hot_extra, loop):
            with open(config, "w") as f:
                f.write(f'[report]\nreproduce = "make bench-gate"\ndriver = "build/bin/ci-bench"\n'
                        f'[[suite]]\nbinary = "{TESTSUITE}"\ntool = "callgrind"\n'
                        f'env = {{ TESTSUITE_HOT_EXTRA = "{hot_extra}" }}\n'
                        f'[[benchmark]]\nname = "{HOSTILE}"\ncommand = ["{TESTPROG}", "loop", "{loop}"]\n'
                        f'[[compare]]\nname = "loop vs two_functions"\nbaseline = "two_functions"\ncandidate = "loop"\n')
        run = lambda *a: subprocess.run([CIBENCH, "run", "--config", config, "--out", os.path.join(cls.dir, "out"), *a],
                                        capture_output=True, text=True)
        write(0, 1000)
        run("--update-baselines", "--filter", "two_functions|loop|evil")
        with open(os.path.join(cls.dir, "baselines", "retired.json"), "w") as f:
            f.write("{}\n")
        write(20000, 1000)
        with open(config, "a") as f:
            f.write(f'[[benchmark]]\nname = "{HOSTILE} crash"\ncommand = ["{TESTPROG}", "crash"]\n')
        run("--filter", "two_functions|^loop$|evil|^empty$")
        cls.results = os.path.join(cls.dir, "out", "results.json")
        cls.proc = render(cls.results)
        cls.text = cls.proc.stdout
        cls.page = Page(gfm(cls.text))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_first_line_reads_at_a_glance_with_plurals(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        lines = self.text.splitlines()
        self.assertEqual(lines[0], "<!-- ci-bench-report -->")
        self.assertTrue(lines[1].startswith("❌ **ci-bench: errors**"), lines[1])
        for part in ("1 error,", "1 failed", "1 new", "2 passed", "of 5 benchmarks"):
            self.assertIn(part, lines[1])

    def test_errors_and_changes_are_separate_tables_sorted_by_severity(self):
        errors = table_with(self.page, "error")
        self.assertEqual([h for h, _ in errors["header"]], ["benchmark", "kind", "error"])
        (crash,) = self.page.body_rows(errors)
        self.assertIn("signal 11", crash[2][0])
        self.assertEqual(crash[2][1], "left")  # a message, not in a right-aligned number column
        changes = table_with(self.page, "change")
        statuses = [row[5][0] for row in self.page.body_rows(changes)]
        self.assertEqual(statuses, ["🔴 fail", "🆕 new"])
        self.assertEqual([a for _, a in changes["header"]], ["left", "left", "right", "right", "right", "left"])
        functions = table_with(self.page, "function")
        self.assertIn("hot_work", functions["rows"][1][0][0])  # the function behind the regression
        # The reproduce lines are the config's [report], carried by results.json.
        fence = self.text.split("Reproduce locally")[1].split("```sh\n")[1].split("```")[0].splitlines()
        self.assertEqual(fence[0], "make bench-gate")
        self.assertIn("build/bin/ci-bench explain 'two_functions'", fence)

    def test_comparisons_and_removed_baselines_are_shown(self):
        comparisons = table_with(self.page, "comparison")
        (row,) = self.page.body_rows(comparisons)
        self.assertEqual(row[0][0], "loop vs two_functions")
        self.assertRegex(row[3][0], r"^\d+\.\d{4}×$")
        self.assertEqual(row[3][1], "right")
        self.assertIn("Removed baselines", self.page.headings)
        self.assertIn("retired", gfm(self.text))

    def test_a_hostile_name_cannot_break_a_table_inject_markup_mention_or_link(self):
        page_html = gfm(self.text)
        self.assertNotIn("<img", page_html)
        self.assertNotIn("<em>", page_html)
        self.assertNotIn("<code>tick", page_html)
        self.assertEqual(self.page.links, [])  # no autolink from the name's URL or www.
        self.assertNotIn("@alice", page_html)  # a joiner sits between @ and the name: no mention
        self.assertIn("@" + ZWJ + "alice", page_html)
        for table in self.page.tables:
            for row in self.page.body_rows(table):
                self.assertEqual(len(row), len(table["header"]), row)
        evil = [row for t in self.page.tables for row in self.page.body_rows(t) if row[0][0].startswith("evil")]
        self.assertEqual(len(evil), 2)  # the crash among the errors, the unchanged one folded
        self.assertIn("<img src=x onerror=alert(1)>", evil[0][0][0])  # shown as text
        fence = self.text.split("```sh")[1]
        self.assertEqual(fence.count("```"), 1, "a name must not close the code fence")

    def test_html_escapes_too(self):
        page = render(self.results, "--format", "html").stdout
        self.assertIn("&lt;img src=x", page)
        self.assertNotIn("<img", page)


# What a real run says each metric is (its unit, which one a benchmark is known by), from the
# committed results.json of a real run: the synthetic files below carry it as the driver writes it.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "run", "results.json")) as f:
    METRIC_DEFINITIONS = json.load(f)["metric_definitions"]


class Synthetic(unittest.TestCase):
    def write(self, results):
        f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump(dict({"schema": 1, "metric_definitions": METRIC_DEFINITIONS}, **results), f)
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def bench(self, name, status, **extra):
        return dict({"name": name, "status": status, "metrics": {"instructions": 1100}, "baseline": {"instructions": 1000},
                     "change_pct": {"instructions": 10.0}, "metric_status": {"instructions": status} if status != "pass" else {}},
                    **extra)

    def headline(self, results, *args, env=None):
        proc = render(self.write(results), *args, env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout.splitlines()[1], proc.stdout

    def test_two_regressions_each_get_their_own_table_and_headings_are_not_rows(self):
        changes = [{"function": "f.cpp:hot", "before": 1, "after": 2, "change": 1}]
        text = render(self.write({"benchmarks": [self.bench("a", "fail", function_changes=changes),
                                                 self.bench("b", "fail", function_changes=changes)]})).stdout
        page = Page(gfm(text))
        self.assertEqual(len(page.tables), 3, text)  # the changes, then one per regression
        self.assertIn("a: the functions that changed most (instructions, self)", page.headings)
        self.assertIn("b: the functions that changed most (instructions, self)", page.headings)
        for table in page.tables:
            for row in table["rows"]:
                self.assertFalse(any("changed most" in cell for cell, _ in row), row)

    def test_a_rise_from_zero_says_so_where_no_percentage_exists(self):
        rise = self.bench("peak", "fail", metrics={"heap_peak_bytes": 3800}, baseline={"heap_peak_bytes": 0},
                          change_pct={}, metric_status={"heap_peak_bytes": "fail"})
        page = Page(gfm(render(self.write({"benchmarks": [rise], "exit_code": 1})).stdout))
        row = [cell for cell, _ in page.body_rows(page.tables[0])[0]]
        self.assertEqual(row[1:5], ["Heap peak", "0 B", "3.71 KiB", "up from 0"])

    def test_the_headline_counts_the_benchmarks_reused_by_content_fingerprint(self):
        line, _ = self.headline({"benchmarks": [self.bench("a", "pass", reused=True), self.bench("b", "pass", reused=True),
                                                self.bench("c", "pass")], "exit_code": 0})
        self.assertIn("3 passed of 3 benchmarks \\(2 reused, unchanged since their baselines\\)", line)
        line, _ = self.headline({"benchmarks": [self.bench("c", "pass")], "exit_code": 0})
        self.assertNotIn("reused", line)

    def test_every_status_has_its_own_icon(self):
        statuses = ["pass", "warn", "fail", "improved", "new", "incomparable", "nondeterministic"]
        text = render(self.write({"benchmarks": [self.bench(s, s) for s in statuses] +
                                  [{"name": "broken", "status": "error", "metrics": {}, "error": "boom"}]})).stdout
        page = Page(gfm(text))
        icons = {row[0][0]: row[5][0].split()[0] for row in page.body_rows(table_with(page, "change"))}
        self.assertEqual(len(set(icons.values())), len(icons), icons)
        self.assertEqual(set(icons), set(statuses) - {"pass"})
        self.assertNotIn(icons["fail"], text.split("### ❌ Errors")[1].split("###")[0])  # an error is not a fail
        self.assertNotEqual(icons["improved"], "🟢")  # nor an improvement a pass
        self.assertIn("not compared", [row[4][0] for row in page.body_rows(table_with(page, "change"))])
        self.assertIn("--update-baselines", text.split("```sh")[1])
        self.assertIn("1 error,", text.splitlines()[1])

    def test_a_run_that_did_not_finish_or_did_not_pass_is_never_green(self):
        passing = {"benchmarks": [self.bench("a", "pass")], "exit_code": 0}
        self.assertTrue(self.headline(passing)[0].startswith("🟢"))
        for extra, start, words in [({"error": "config: no such file"}, "🛑", "The run did not finish: config: no such file"),
                                    ({"interrupted": True, "exit_code": 130}, "⏹️", "The run was interrupted"),
                                    ({"exit_code": 1}, "🔴", "the gate failed \\(exit code 1\\)"),
                                    ({"benchmarks": []}, "⚪", "no benchmarks measured")]:
            with self.subTest(extra=extra):
                line, text = self.headline(dict(passing, **extra))
                self.assertTrue(line.startswith(start), line)
                self.assertNotIn("🟢", line)
                self.assertIn(words, text)

    def test_commits_and_links_to_the_run_from_githubs_variables_or_options(self):
        env = dict(NO_GITHUB, GITHUB_SERVER_URL="https://github.com", GITHUB_REPOSITORY="team/proj", GITHUB_RUN_ID="42",
                   GITHUB_SHA="0123456789abcdef0123456789abcdef01234567")
        results = {"benchmarks": [self.bench("a", "pass")]}
        _, text = self.headline(results, "--base-sha", "fedcba9876543210fedcba9876543210fedcba98", env=env)
        page = Page(gfm(text))
        self.assertIn("https://github.com/team/proj/actions/runs/42", page.links)
        self.assertIn("https://github.com/team/proj/actions/runs/42#artifacts", page.links)
        self.assertIn("base `fedcba987654`", text)
        self.assertIn("head `0123456789ab`", text)
        _, text = self.headline(results, "--head-sha", "abcdef1", "--run-url", "https://ci.example/run/7", env=env)
        self.assertIn("head `abcdef1`", text)
        self.assertIn("https://ci.example/run/7#artifacts", Page(gfm(text)).links)
        for option, value in (("--head-sha", "not-a-sha"), ("--run-url", "javascript:alert(1)"), ("--run-url", "https://x/)(")):
            proc = render(self.write(results), option, value)
            self.assertEqual(proc.returncode, 1)
            self.assertIn(f"report.py: {option}: expected", proc.stderr)

    def test_injection_through_counts_or_a_metric_name_is_refused_or_escaped(self):
        proc = render(self.write({"benchmarks": [], "counts": {"fail": "0</details>\n\n# Merge me ![x](https://e.example/x)"}}))
        self.assertEqual((proc.returncode, proc.stdout), (1, ""))
        self.assertIn("counts.fail: expected an integer", proc.stderr)
        bad_metric = "<img src=x>|# Merge me"
        text = render(self.write({"benchmarks": [dict(self.bench("a", "warn"), metric_status={bad_metric: "warn"})]})).stdout
        page_html = gfm(text)
        self.assertNotIn("<img", page_html)
        self.assertNotIn("<h1>", page_html)

    def test_thousands_of_benchmarks_fit_githubs_limit_and_say_what_was_cut(self):
        benchmarks = []
        for i in range(6000):
            status = ["fail", "warn", "pass", "pass", "new", "improved"][i % 6]
            benchmarks.append(self.bench(f"family.{i}/" + "x" * 40, status, metrics={"instructions": 1000 + i},
                                         function_changes=[{"function": f"f{j}", "before": 1, "after": 2, "change": 1}
                                                           for j in range(5)]))
        text = render(self.write({"benchmarks": benchmarks, "gone": [f"old.{i}" for i in range(3000)]})).stdout
        self.assertLessEqual(len(text), 65536, "over GitHub's limit")
        self.assertIn("Cut to fit GitHub's comment limit", text)
        self.assertIn("2000 of 2000 passed benchmarks", text)
        self.assertIn("| family\\.0/", text)  # the most severe rows survive (names are escaped)
        self.assertIn("… and 2950 more", text)
        self.assertIn("ci-bench run", text)

    def test_a_long_list_of_passes_is_cut_to_what_fits_not_dropped(self):
        passes = [self.bench(f"pass.{i}", "pass", change_pct={}) for i in range(3004)]
        text = render(self.write({"benchmarks": passes})).stdout
        self.assertLessEqual(len(text), 65536)
        self.assertGreater(len(text), 50000, "the passes that fit are shown")
        cut = int(re.search(r"(\d+) of 3004 passed benchmarks", text).group(1))
        self.assertTrue(0 < cut < 3004, cut)
        self.assertEqual(text.count("| pass\\."), 3004 - cut)  # every row not cut is there

    def test_a_pass_that_moved_is_not_called_unchanged(self):
        still = self.bench("still", "pass", metrics={"instructions": 1000}, change_pct={"instructions": 0.0})
        moved = self.bench("moved", "pass", change_pct={"instructions": 1.5})
        tiny = self.bench("tiny", "pass", metrics={"instructions": 10**9 - 1}, baseline={"instructions": 10**9},
                          change_pct={"instructions": -1e-7})
        # an artifact whose code size stood still while its gated file size grew by 500 bytes
        sized = self.bench("sized", "pass", metrics={"text_bytes": 1056, "file_bytes": 27356},
                           baseline={"text_bytes": 1056, "file_bytes": 26856},
                           change_pct={"text_bytes": 0.0, "file_bytes": 1.86}, thresholds={"file_bytes": {"fail_bytes": 1000}})
        text = render(self.write({"benchmarks": [still, moved, tiny, sized]})).stdout
        self.assertIn("4 passed (3 moved within their thresholds)", text)
        self.assertNotIn("unchanged", text)
        page = Page(gfm(text))
        rows = {row[0][0]: [cell for cell, _ in row] for table in page.tables for row in page.body_rows(table)}
        self.assertEqual(rows["still"][3], "no change")
        self.assertEqual(rows["moved"][3], "+1.50 %")
        self.assertEqual(rows["tiny"][3], "-<0.0001 %")  # never "-0.0000 %"
        self.assertEqual(rows["sized"][1:4], ["File size", "26.7 KiB", "+1.86 %"])

    def reproduce_lines(self, results):
        text = render(self.write(results)).stdout
        return text.split("Reproduce locally")[1].split("```sh\n")[1].split("```")[0].splitlines()

    def test_without_a_reproduce_command_the_lines_work_anywhere(self):
        # Files written before "reproduce" existed, or a config with no [report]: the installed driver.
        lines = self.reproduce_lines({"benchmarks": [self.bench("a.b", "fail")]})
        self.assertEqual(lines, ["ci-bench run", "ci-bench explain 'a.b'"])
        lines = self.reproduce_lines({"benchmarks": [self.bench("it's", "fail")]})
        self.assertEqual(lines, ["ci-bench run", "ci-bench explain 'it'\\''s'"])

    def test_a_reproduce_command_that_could_break_the_fence_or_mislead_is_not_shown(self):
        # The measured branch's config chooses it: a fork could try to close the fence or reverse the line.
        for hostile in ("make x\n```\n@alice", "make `id`", "make \u202e lave", "x" * 201):
            lines = self.reproduce_lines({"benchmarks": [self.bench("a", "fail")],
                                          "reproduce": {"command": hostile, "driver": hostile}})
            self.assertEqual(lines, ["ci-bench run", "ci-bench explain 'a'"], repr(hostile))
        lines = self.reproduce_lines({"benchmarks": [self.bench("a", "incomparable")],
                                      "reproduce": {"command": "make bench-gate", "driver": "out/ci-bench"}})
        self.assertEqual(lines[0], "make bench-gate")
        self.assertTrue(lines[1].startswith("out/ci-bench run --update-baselines"), lines)

    def test_control_characters_and_overrides_are_shown_not_passed(self):
        # Names from a fork's results.json or from its programs' symbols: ESC retitles a terminal that
        # shows the comment's source, U+202E makes a name read backwards on the page.
        hostile = "evil\x1b]0;pwned\x07\u202edesrever\u009b\u2066x"
        changes = [{"function": hostile, "before": 1, "after": 2, "change": 1}]
        path = self.write({"benchmarks": [self.bench(hostile, "fail", function_changes=changes),
                                          self.bench("crash", "error", error=hostile + "\nsecond line")],
                           "gone": [hostile]})
        for args in ((), ("--format", "html")):
            text = render(path, *args).stdout
            for raw in ("\x1b", "\x07", "\u202e", "\u009b", "\u2066"):
                self.assertNotIn(raw, text, args)
            self.assertIn("\\u{202e}desrever", text if args else gfm(text), args)  # as the reader sees it

    def test_a_different_fingerprint_is_a_plain_warning(self):
        results = {"benchmarks": [dict(self.bench("a", "pass"),
                                       fingerprint_differences=["valgrind: valgrind-3.18.1 (baseline) vs valgrind-3.19.0 (now)"])]}
        line, text = self.headline(results)
        self.assertIn("> [!WARNING]", text)
        self.assertIn("<li>a: valgrind: valgrind-3.18.1 (baseline) vs valgrind-3.19.0 (now)</li>", gfm(text))
        self.assertTrue(line.startswith("🟢"))

    def test_work_that_valgrind_could_not_count_is_said_in_the_comment(self):
        results = {"benchmarks": [dict(self.bench("shell", "pass"), uncounted_before_exec=["/bin/true", "/bin/true"]),
                                  self.bench("plain", "pass")]}
        _, text = self.headline(results)
        html = gfm(text)
        self.assertIn("<h3>Not counted</h3>", html)
        self.assertIn("<li>shell: became /bin/true</li>", html)  # once, however many processes
        self.assertNotIn("plain: became", html)

    def test_bad_input_is_an_error_naming_the_file(self):
        proc = render("/nonexistent/results.json")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("/nonexistent/results.json", proc.stderr)
        proc = render(self.write({"no": "benchmarks"}))
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("benchmarks: missing", proc.stderr)


if __name__ == "__main__":
    unittest.main()

"""Changed source lines and flame graphs (issue "From the function to the line"): a helper the
compiler inlines into two callers gets slower; the gate must name the helper's own line (not only
its callers), draw the helper as a frame coloured slower, ignore lines that only moved, and say so
when a program has no line debug info instead of listing "???"."""
import os
import re
import subprocess
import sys

from cibench_test import CIBENCH, CiBenchTest, read_json

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tools"))
from report_markdown import render_markdown  # noqa: E402
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
import test_report_html as page  # noqa: E402  (its Chromium and PNG helpers; as a module, so its tests do not run here)


def helper_source(rounds, blank_lines_above=0):
    """mix() is static inline: at -O2 it has no code of its own, only copies in first() and second()."""
    return "\n" * blank_lines_above + f"""#define ROUNDS {rounds}
static inline long mix(long x) {{
  long acc = x;
  for (int r = 0; r < ROUNDS; ++r) acc = acc * 31 + (acc >> 3);
  return acc;
}}

__attribute__((noinline)) long first(long n) {{
  long s = 0;
  for (long i = 0; i < n; ++i) s += mix(i);
  return s;
}}

__attribute__((noinline)) long second(long n) {{
  long s = 0;
  for (long i = 0; i < n; ++i) s ^= mix(i * 7);
  return s;
}}

int main(void) {{
  volatile long out = first(100000) + second(100000);
  (void)out;
  return 0;
}}
"""


HOT_LINE = "  for (int r = 0; r < ROUNDS; ++r) acc = acc * 31 + (acc >> 3);"


class ChangedLines(CiBenchTest):
    def build(self, rounds, blank_lines_above=0, debug=True):
        with open(os.path.join(self.dir, "helper.c"), "w") as f:
            f.write(helper_source(rounds, blank_lines_above))
        subprocess.run(["cc", "-O2", *(["-g"] if debug else []), "-o", "helper", "helper.c"], cwd=self.dir, check=True)

    def configure(self, tool):
        self.write_config(f'[[benchmark]]\nname = "helper"\ncommand = ["./helper"]\ntool = "{tool}"\n')

    def record(self, tool, debug=True):
        self.configure(tool)
        self.build(4, debug=debug)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        with open(os.path.join(self.dir, "baselines", "helper.json")) as f:
            return f.read()

    def hot_line_number(self, blank_lines_above):
        return helper_source(8, blank_lines_above).splitlines().index(HOT_LINE) + 1

    def test_the_inlined_helpers_own_line_is_named_under_both_tools(self):
        for tool in ("cachegrind", "callgrind"):
            with self.subTest(tool=tool):
                baseline = self.record(tool)
                self.assertIn('"lines"', baseline)
                # Slower, and moved down three lines: only the line whose cost changed is listed.
                self.build(8, blank_lines_above=3)
                r = self.run_cibench()
                self.assertExit(r, 1)
                b = r.bench("helper")
                changes = b["line_changes"]
                self.assertEqual(len(changes), 1, changes)
                c = changes[0]
                self.assertEqual((c["file"], c["line"]), ("helper.c", self.hot_line_number(3)))
                self.assertEqual(sorted(c["functions"]), ["first", "second"])  # where it was inlined
                self.assertEqual((c["function"], c["inlined"]), ("mix", True))  # the helper, named from DWARF
                self.assertNotIn("mix", [f["function"].split(":")[-1] for f in b["function_changes"]])
                # ROUNDS 4 -> 8 doubles what the line executes.
                self.assertEqual(c["after"], 2 * c["before"])
                self.assertGreater(c["change"], 1_000_000)
                self.assertNotIn("gone", c)
                excerpt = b["source_excerpt"]
                self.assertEqual(excerpt["line"], c["line"])
                self.assertEqual(excerpt["lines"][c["line"] - excerpt["first_line"]], HOT_LINE)
                self.assertIn(f"helper.c:{c['line']} mix, inlined into first, second", r.stdout)
                self.assertIn(f">  {c['line']} | {HOT_LINE}", r.stdout)
                # The comment names the line and shows the source, collapsed.
                comment = render_markdown(r.json)
                self.assertIn(f"| helper\\.c:{c['line']} | mix, inlined into first, second |", comment)
                self.assertIn("<details><summary>helper: the source lines that changed most", comment)
                self.assertIn(f"{c['change']:+,}".replace("+", "\\+"), comment)
                # The flame graph: the helper is a frame of its own above each caller, coloured slower
                # (Cachegrind records no calls: there the callers stand on the benchmark's frame).
                svg_path = os.path.join(self.dir, "out", b["flamegraph"])
                with open(svg_path) as f:
                    svg = f.read()
                inlined = re.findall(r'<g class="(\w+)"><title>mix \[inlined\]', svg)
                self.assertEqual(inlined, ["slower", "slower"])
                self.assertNotRegex(svg, r'<g class="slower"><title>(first|second|main)\n')
                if tool == "callgrind":  # as a person sees it: Chromium draws the helper's frames red
                    shot = os.path.join(self.dir, "flamegraph.png")
                    p = page.chromium(f"--screenshot={shot}", "--window-size=1220,300", "file://" + svg_path)
                    self.assertTrue(os.path.isfile(shot), p.stderr)
                    _, _, colours = page.png_pixels(shot)
                    self.assertIn((255, 0, 0), colours)        # mix [inlined]: its own instructions doubled
                    self.assertIn((0xed, 0xdc, 0xc0), colours)  # unchanged frames

    def test_lines_that_only_moved_are_not_changes(self):
        self.record("callgrind")
        self.build(4, blank_lines_above=5)
        r = self.run_cibench()
        self.assertExit(r, 0)
        b = r.bench("helper")
        self.assertEqual(b["metrics"]["instructions"], b["baseline"]["instructions"])
        self.assertNotIn("line_changes", b)
        self.assertNotIn("flamegraph", b)
        # An instruction more elsewhere in the file: the moved lines still match by their text.
        self.build(5, blank_lines_above=5)
        r = self.run_cibench()
        changes = r.bench("helper")["line_changes"]
        self.assertEqual([(c["line"], c.get("gone", False)) for c in changes], [(self.hot_line_number(5), False)])

    def test_a_program_without_debug_info_says_lines_are_unavailable(self):
        self.record("cachegrind", debug=False)
        self.build(8, debug=False)
        r = self.run_cibench()
        self.assertExit(r, 1)
        b = r.bench("helper")
        self.assertEqual(b.get("line_changes", []), [])
        self.assertIn("no line debug info", b["lines_unavailable"])
        lines_said = [line for line in r.stdout.splitlines() if line.startswith("  Lines:")]
        self.assertEqual(len(lines_said), 1, r.stdout)
        self.assertIn("build the program with -g", lines_said[0])
        self.assertNotIn("???", lines_said[0])
        self.assertIn("no line debug info", render_markdown(r.json))

    def test_flamegraph_command_draws_a_differential_graph(self):
        self.configure("callgrind")
        self.build(4)
        self.assertExit(self.run_cibench(), 0)
        old = os.path.join(self.dir, "old.callgrind.out")
        os.rename(os.path.join(self.dir, "out", "helper.callgrind.out"), old)
        self.build(8)
        self.run_cibench()
        new = os.path.join(self.dir, "out", "helper.callgrind.out")
        svg = os.path.join(self.dir, "diff.svg")
        p = subprocess.run([CIBENCH, "flamegraph", old, new, "-o", svg, "--program", os.path.join(self.dir, "helper")],
                           capture_output=True, text=True, cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(svg) as f:
            text = f.read()
        self.assertEqual(re.findall(r'<g class="(\w+)"><title>mix \[inlined\]', text), ["slower", "slower"])
        p = subprocess.run([CIBENCH, "flamegraph", new, "-o", svg], capture_output=True, text=True, cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(svg) as f:
            self.assertNotIn('class="slower"', f.read())  # a plain graph has no colour of change
        p = subprocess.run([CIBENCH, "flamegraph", new, "-o", svg, "--program", "/bin/true"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("/bin/true: no DWARF function definitions", p.stderr)


class RepeatedText(CiBenchTest):
    """The same statement in a new function above: matched by its text and the line before it, the
    new one is not taken for the old one (which would show the old line's count moving to it)."""
    def write(self, with_added):
        added = ("__attribute__((noinline)) long added(long n) {\n  long t = 1;\n"
                 "  for (long i = 0; i < n; ++i) s = s * 3 + i;\n  return t;\n}\n") if with_added else ""
        source = ("static volatile long s;\n" + added +
                  "__attribute__((noinline)) long hot(long n) {\n  long u = 0;\n"
                  "  for (long i = 0; i < n; ++i) s = s * 3 + i;\n  return u;\n}\n"
                  "int main(void) {\n  hot(100000);\n" + ("  added(1000);\n" if with_added else "") + "  return 0;\n}\n")
        with open(os.path.join(self.dir, "p.c"), "w") as f:
            f.write(source)
        subprocess.run(["cc", "-O1", "-g", "-o", "p", "p.c"], cwd=self.dir, check=True)
        return [n + 1 for n, line in enumerate(source.splitlines()) if line.startswith("  for")]

    def test_a_copy_of_a_statement_is_a_line_of_its_own(self):
        self.write(False)
        self.write_config('[[benchmark]]\nname = "p"\ncommand = ["./p"]\n')
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        copy, hot_loop = self.write(True)
        r = self.run_cibench()
        changes = r.bench("p")["line_changes"]
        by_line = {c["line"]: c for c in changes}
        self.assertIn(copy, by_line, changes)
        self.assertEqual(by_line[copy]["functions"], ["added"])
        self.assertGreater(by_line[copy]["change"], 0)
        # hot's loop ran as often as before: not listed, or (its code moved) by a few instructions only
        self.assertLess(abs(by_line.get(hot_loop, {"change": 0})["change"]), 100, changes)

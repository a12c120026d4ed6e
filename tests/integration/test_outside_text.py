"""Names from outside shown where they are shown: a program whose symbols are hostile text (escape
sequences that retitle and clear a terminal, a right-to-left override, a newline followed by a GitHub
workflow command, the older `##[command]` form), measured and sized by the real driver, then reported
by the real scripts. No raw control character or override reaches the terminal, the Markdown or the
page, and no line of the terminal output can be taken for a workflow command."""
import os
import subprocess
import sys

from cibench_test import CiBenchTest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REPORT = os.path.join(ROOT, "tools", "report.py")

SOURCE = r"""
#include <cstdlib>
extern "C" __attribute__((noinline)) long hot(long n) {   // measured: its instructions change
  long s = 0;
  for (long i = 0; i < n; ++i) s += i * i % 7;
  return s;
}
extern "C" __attribute__((noinline)) void grown() {       // sized: NOPS bytes of padding
  asm volatile(".rept NOPS\n nop\n .endr");
}
int main(int argc, char** argv) {
  if (argc > 2) grown();                                   // never run: Valgrind does not see its name
  return hot(std::atol(argv[1])) == 42;
}
"""
# Valgrind writes a function's name into its output file as it is, so a name with a newline would
# make the file unreadable (to cg_annotate as well): that one is only in the sized symbol table.
HOT = "evil\x1b]0;pwned\x07\x1b[2J\u202edesrever ##[warning]old"
GROWN = "grown\x1b[31m\u202e\n::error::forged\u009b"
RAW = ("\x1b", "\x07", "\u202e", "\u009b")


class OutsideText(CiBenchTest):
    def build(self, nops):
        src, obj = os.path.join(self.dir, "evil.cpp"), os.path.join(self.dir, "evil.plain")
        with open(src, "w") as f:
            f.write(SOURCE.replace("NOPS", str(nops)))
        subprocess.run(["g++", "-O1", "-g", "-o", obj, src], check=True)
        subprocess.run(["objcopy", f"--redefine-sym=hot={HOT}", f"--redefine-sym=grown={GROWN}", obj,
                        os.path.join(self.dir, "evil")], check=True)

    def config(self, n):
        self.write_config(f'[[benchmark]]\nname = "evil"\ncommand = ["{self.dir}/evil", "{n}"]\n'
                          f'[[artifact]]\nname = "app"\npath = "evil"\n')

    def assert_no_raw_text(self, text, where):
        for c in RAW:
            self.assertNotIn(c, text, f"{c!r} raw in the {where}")

    def test_hostile_function_and_symbol_names_are_shown_escaped(self):
        self.build(200)
        self.config(100000)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.build(2000)
        self.config(200000)
        r = self.run_cibench()
        self.assertExit(r, 1)
        self.assertEqual(r.bench("evil")["function_changes"][0]["function"].split(":")[-1], HOT)  # results.json keeps the name
        self.assertEqual(r.bench("app")["symbol_changes"][0]["symbol"], GROWN)

        terminal = r.stdout + r.stderr
        self.assert_no_raw_text(terminal, "terminal output")
        for line in terminal.splitlines():
            self.assertFalse(line.lstrip().startswith("::"), f"a workflow command in the log: {line!r}")
            self.assertNotIn("##[", line)
        self.assertIn("evil\\x1b]0;pwned\\x07\\x1b[2J\\u{202e}desrever #\\x23[warning]old", r.stdout)
        self.assertIn("grown\\x1b[31m\\u{202e}\\x0a::error::forged\\u{9b}", r.stdout)

        results = os.path.join(self.dir, "out", "results.json")
        markdown = subprocess.run([sys.executable, REPORT, results], capture_output=True, text=True, check=True).stdout
        self.assert_no_raw_text(markdown, "Markdown")
        self.assertIn("desrever", markdown)
        page = subprocess.run([sys.executable, REPORT, results, "--format", "html"], capture_output=True, text=True,
                              check=True).stdout
        self.assert_no_raw_text(page, "HTML page")
        self.assertIn("\\u{202e}desrever", page)

"""[[artifact]]: the size of a built file, gated like counts, with the symbol that grew named.
Built here with the real compiler, so that debug info and stripping are checked as they happen."""
import json
import os
import shutil
import socket
import subprocess
import sys
import unittest

import jsonschema

from cibench_test import CiBenchTest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

SOURCE = r"""
#include <cstdio>
namespace shop {
void grow_me(int n) {                       // NOPS instructions of padding: the function that grows
  asm volatile(".rept NOPS\n nop\n .endr");
  std::printf("%d\n", n);
}
}
static const char message[] = "a read-only string";
int counter = 3;
int main(int argc, char**) { shop::grow_me(argc + counter); std::puts(message); return 0; }
"""


class Artifact(CiBenchTest):
    def build(self, name, nops, *flags):
        src = os.path.join(self.dir, f"{name}.cpp")
        with open(src, "w") as f:
            f.write(SOURCE.replace("NOPS", str(nops)))
        out = os.path.join(self.dir, name)
        subprocess.run(["g++", *flags, "-o", out, src], check=True)
        return out

    def config(self, path, extra=""):
        self.write_config(f"""
[[artifact]]
name = "app"
path = "{os.path.basename(path)}"
{extra}
""")

    def archive(self, nops):
        """libshop.a of two members: grow.o (SOURCE, NOPS bytes of padding in shop::grow_me) and other.o."""
        src = os.path.join(self.dir, "grow.cpp")
        with open(src, "w") as f:
            f.write(SOURCE.replace("NOPS", str(nops)).replace("int main(", "int not_main(")
                    .replace("void grow_me", "[[gnu::noinline]] void grow_me"))
        other = os.path.join(self.dir, "other.c")
        with open(other, "w") as f:
            # A C name __cxa_demangle would misread as the type "unsigned long".
            f.write('int m(int x) { __asm__ volatile(".rept 300\\n nop\\n .endr"); return x * 3 + 1; }\n')
        subprocess.run(["g++", "-O2", "-c", "-o", os.path.join(self.dir, "grow.o"), src], check=True)
        subprocess.run(["gcc", "-O2", "-c", "-o", os.path.join(self.dir, "other.o"), other], check=True)
        archive = os.path.join(self.dir, "libshop.a")
        if os.path.exists(archive):
            os.remove(archive)
        subprocess.run(["ar", "rcs", archive, os.path.join(self.dir, "grow.o"), os.path.join(self.dir, "other.o")], check=True)
        return archive

    def test_a_static_archive_whose_member_grew_fails_naming_member_and_symbol(self):
        self.config(self.archive(200))
        r = self.run_cibench("--update-baselines")
        self.assertExit(r, 0)
        symbols = r.bench("app")["symbols"]
        self.assertIn("grow.o: shop::grow_me(int)", symbols)
        self.assertIn("other.o: m", symbols)
        self.config(self.archive(2000))
        r = self.run_cibench()
        self.assertExit(r, 1)
        b = r.bench("app")
        self.assertEqual(b["metric_status"]["text_bytes"], "fail")
        self.assertEqual(b["symbol_changes"][0]["symbol"], "grow.o: shop::grow_me(int)")
        self.assertEqual(b["symbol_changes"][0]["change"], 1800)

    def test_archives_that_cannot_be_measured_whole_are_errors_not_zeros(self):
        archive = self.archive(200)
        objects = [os.path.join(self.dir, n) for n in ("grow.o", "other.o")]
        cases = {}
        thin = os.path.join(self.dir, "libthin.a")
        subprocess.run(["ar", "rcsT", thin, *objects], check=True)
        cases[thin] = "is a thin archive"
        with open(archive, "rb") as f:
            whole = f.read()
        for cut in (300, len(whole) - 500):  # inside the first object, inside the last
            path = os.path.join(self.dir, f"libcut{cut}.a")
            with open(path, "wb") as f:
                f.write(whole[:cut])
            cases[path] = "truncated or corrupt?"
        note = os.path.join(self.dir, "note.txt")
        with open(note, "w") as f:
            f.write("not an object\n")
        mixed = os.path.join(self.dir, "libmixed.a")
        subprocess.run(["ar", "rcs", mixed, objects[0], note], check=True)
        cases[mixed] = "member note.txt is not an ELF object"
        for path, expected in cases.items():
            self.config(path)
            r = self.run_cibench()
            self.assertExit(r, 2)
            self.assertIn(expected, r.bench("app")["error"], path)

    def test_members_of_the_same_name_stay_apart(self):
        # CMake puts src/x/util.c.o and src/y/util.c.o in one archive under one name.
        members = []
        for folder, body in (("x", "return v + 1;"), ("y", "return v * 7 + 2;")):
            os.mkdir(os.path.join(self.dir, folder))
            src = os.path.join(self.dir, folder, "util.c")
            with open(src, "w") as f:
                f.write(f"int util_{folder}(int v) {{ {body} }}\n")
            members.append(os.path.join(self.dir, folder, "util.o"))
            subprocess.run(["gcc", "-O0", "-c", "-o", members[-1], src], check=True)
        archive = os.path.join(self.dir, "libutil.a")
        subprocess.run(["ar", "q", archive, *members], check=True)
        self.config(archive)
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertEqual(sorted(r.bench("app")["symbols"]), ["util.o#2: util_y", "util.o: util_x"])

    def test_any_other_file_measures_its_size_alone(self):
        blob = os.path.join(self.dir, "model.bin")
        with open(blob, "wb") as f:
            f.write(b"\x00not an ELF file" * 100)
        self.config(blob)
        r = self.run_cibench()
        self.assertExit(r, 0)
        self.assertEqual(r.bench("app")["metrics"], {"file_bytes": 1600})
        self.config(blob, 'budget = { text_bytes = "1 MB" }')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("neither an ELF file nor a static archive, so only file_bytes is measured", r.bench("app")["error"])

    def test_a_grown_function_fails_and_is_named(self):
        app = self.build("app", 200, "-O2")
        self.config(app)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        self.build("app", 2000, "-O2")  # the same file, one function 1800 bytes bigger
        r = self.run_cibench()
        self.assertExit(r, 1)
        b = r.bench("app")
        self.assertEqual(b["status"], "fail")
        self.assertEqual(b["metric_status"]["text_bytes"], "fail")
        self.assertEqual(b["symbol_changes"][0]["symbol"], "shop::grow_me(int)")
        self.assertEqual(b["symbol_changes"][0]["change"], 1800)
        self.assertIn("Symbols that changed most (bytes):", r.stdout)
        self.assertRegex(r.stdout, r"\+1\.76 KiB .* shop::grow_me\(int\)")
        self.assertNotIn("the baseline keeps only", r.stdout)  # every symbol was kept: nothing to caveat
        self.assertNotIn("symbol_changes_floor", b)

    def test_diff_of_two_results_shows_the_sizes_in_bytes(self):
        app = self.build("app", 200, "-O2")
        self.config(app)
        before = self.run_cibench(out=os.path.join(self.dir, "before"))
        self.build("app", 2000, "-O2")
        after = self.run_cibench(out=os.path.join(self.dir, "after"))
        proc = subprocess.run([os.environ["CIBENCH"], "diff", os.path.join(self.dir, "before", "results.json"),
                               os.path.join(self.dir, "after", "results.json")], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        grew = after.bench("app")["metrics"]["text_bytes"] - before.bench("app")["metrics"]["text_bytes"]
        self.assertEqual(grew, 1800)
        self.assertRegex(proc.stdout, r"app: text_bytes [0-9.]+ (B|KiB) -> [0-9.]+ KiB \(\+[0-9.]+%\)")
        self.assertNotIn("no counts", proc.stdout)

    def test_a_baseline_that_kept_only_its_biggest_symbols_says_so(self):
        app = self.build("app", 200, "-O2")
        self.config(app)
        self.assertExit(self.run_cibench("--update-baselines"), 0)
        # As a big program's baseline would be: grow_me below the kept symbols, the list incomplete.
        path = os.path.join(self.dir, "baselines", "app.json")
        with open(path) as f:
            baseline = json.load(f)
        kept = {name: size for name, size in baseline["symbols"].items() if size >= 4 and "grow_me" not in name}
        self.assertTrue(kept)
        baseline["symbols"], baseline["symbols_complete"] = kept, False
        with open(path, "w") as f:
            json.dump(baseline, f)
        self.build("app", 2000, "-O2")
        r = self.run_cibench()
        self.assertExit(r, 1)
        # grow_me is now above the smallest kept symbol: listed, with a bound where its size before was.
        smallest = min(kept.values())
        b = r.bench("app")
        self.assertEqual(b["symbol_changes_floor"], smallest)
        grown = b["symbol_changes"][0]
        self.assertEqual((grown["symbol"], grown["before"], grown["before_at_most"]), ("shop::grow_me(int)", smallest, True))
        self.assertEqual(grown["change"], grown["after"] - smallest)
        self.assertGreater(grown["after"], 1800)
        self.assertRegex(r.stdout, rf">= \+[\d.]+ KiB +<= {smallest} B -> [\d.]+ KiB +shop::grow_me\(int\)")
        self.assertIn(f"(the baseline keeps only its biggest symbols, down to {smallest} B: one it did not keep shows "
                      f'"<= {smallest} B" before, or nothing while it stays below that)', r.stdout)
        self.assertNotIn("completed.0", r.stdout)  # 1 byte, below the smallest kept: no change can be told
        with open(os.path.join(ROOT, "harness", "schema", "results.schema.json")) as f:
            jsonschema.validate(r.json, json.load(f))
        # The PR comment and its page say it too.
        results = os.path.join(self.dir, "out", "results.json")
        report = [sys.executable, os.path.join(ROOT, "tools", "report.py"), results]
        comment = subprocess.run(report, capture_output=True, text=True, check=True).stdout
        self.assertRegex(comment, rf"\| shop::grow\\_me\\\(int\\\) \| ≤ {smallest} B \| [\d\\.]+ KiB \| ≥ \\\+[\d\\.]+ KiB \|")
        self.assertEqual(comment.count("A baseline keeps only its benchmark's biggest symbols: one it did not keep shows “≤”"), 1)
        html = subprocess.run(report + ["--format", "html"], capture_output=True, text=True, check=True).stdout
        self.assertIn(f"<td class=\"num\">≤ {smallest} B</td>", html)
        self.assertEqual(html.count("biggest symbols: one it did not keep"), 1)

    def test_debug_info_and_stripping_change_nothing_that_ships(self):
        plain = self.build("plain", 200, "-O2")
        debug = self.build("debug", 200, "-O2", "-g")
        stripped = os.path.join(self.dir, "stripped")
        shutil.copy(debug, stripped)
        subprocess.run(["strip", stripped], check=True)
        self.write_config("".join(f'[[artifact]]\nname = "{n}"\npath = "{n}"\n' for n in ("plain", "debug", "stripped")))
        r = self.run_cibench()
        self.assertExit(r, 0)
        sizes = {n: r.bench(n)["metrics"] for n in ("plain", "debug", "stripped")}
        for metric in ("text_bytes", "rodata_bytes", "data_bytes", "bss_bytes"):
            self.assertEqual(sizes["plain"][metric], sizes["debug"][metric], metric)
            self.assertEqual(sizes["debug"][metric], sizes["stripped"][metric], metric)
        self.assertGreater(sizes["debug"]["file_bytes"], sizes["stripped"]["file_bytes"])
        self.assertEqual(sizes["plain"]["file_bytes"], os.path.getsize(plain))

    def test_a_budget_in_units_without_a_baseline(self):
        app = self.build("app", 200, "-O2")
        self.config(app, 'budget = { text_bytes = "0.5 KiB", file_bytes = "5 MB" }')
        r = self.run_cibench()
        self.assertExit(r, 1)
        b = r.bench("app")
        self.assertEqual(b["budget"], {"text_bytes": 512, "file_bytes": 5_000_000})
        self.assertEqual(b["metric_status"], {"text_bytes": "fail"})

    def test_a_missing_file_is_an_error_naming_the_config_line(self):
        self.config(os.path.join(self.dir, "not-built"))
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertIn("not-built is missing", r.bench("app")["error"])
        self.assertIn("ci-bench.toml:2", r.bench("app")["error"])

    def bad_artifact_beside_a_good_one(self, make_bad):
        app = self.build("app", 10, "-O2")
        make_bad(os.path.join(self.dir, "bad"))
        self.write_config(f'[[artifact]]\nname = "app"\npath = "{os.path.basename(app)}"\n'
                          '[[artifact]]\nname = "bad"\npath = "bad"\n')
        r = self.run_cibench()
        self.assertExit(r, 2)
        self.assertEqual(r.bench("app")["status"], "new")  # the good one is still measured
        self.assertGreater(r.bench("app")["metrics"]["text_bytes"], 0)
        bad = r.bench("bad")
        self.assertEqual((bad["status"], bad["error_kind"]), ("error", "setup"), bad)
        self.assertIn("ci-bench.toml:4", bad["error"])
        return bad["error"]

    def test_a_symbolic_link_loop_fails_that_artifact_alone(self):
        # It used to abort the whole gate: "internal error: filesystem error: status: Too many levels".
        def loop(path):
            os.symlink(path + ".other", path)
            os.symlink(path, path + ".other")
        error = self.bad_artifact_beside_a_good_one(loop)
        self.assertIn(f"{self.dir}/bad cannot be read: Too many levels of symbolic links", error)

    def test_a_directory_is_called_a_directory(self):
        error = self.bad_artifact_beside_a_good_one(os.mkdir)
        self.assertIn(f"{self.dir}/bad is a directory, not a file", error)
        self.assertNotIn("missing", error)

    def test_special_files_are_refused_before_they_are_opened(self):
        # A FIFO blocked the driver for ever (opening it waits for a writer).
        error = self.bad_artifact_beside_a_good_one(os.mkfifo)
        self.assertIn(f"{self.dir}/bad is a FIFO (named pipe), not a regular file", error)

        def unix_socket(path):
            s = socket.socket(socket.AF_UNIX)
            self.addCleanup(s.close)
            s.bind(path)
        shutil.rmtree(os.path.join(self.dir, "out"))
        os.remove(os.path.join(self.dir, "bad"))
        error = self.bad_artifact_beside_a_good_one(unix_socket)
        self.assertIn(f"{self.dir}/bad is a socket, not a regular file", error)


if __name__ == "__main__":
    unittest.main()

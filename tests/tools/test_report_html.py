"""tools/report.py --format html, as a person sees it: a real run's page opened in headless Chromium.
Chromium computes the styles (read back through --dump-dom) and takes a screenshot, kept in
BUILD/test-output/tools/report.png for a person to look at; the test finds each status colour in it."""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REPORT = os.path.join(REPO, "tools", "report.py")
CIBENCH, TESTPROG, TESTSUITE = os.environ["CIBENCH"], os.environ["TESTPROG"], os.environ["TESTSUITE"]
OUTPUT = os.path.join(os.path.dirname(os.path.dirname(CIBENCH)), "test-output", "tools")  # beside build/bin
WIDTH, HEIGHT = 1100, 1400
FAIL_RED, ERROR_RED, NEW_BLUE = (0xcf, 0x22, 0x2e), (0x82, 0x07, 0x1e), (0x09, 0x69, 0xda)

# Appended to a copy of the page: what Chromium computed, as JSON in the DOM that --dump-dom prints.
PROBE = """<script>
const style = (el) => { const s = getComputedStyle(el); return {align: s.textAlign, border: s.borderTopWidth,
  borderStyle: s.borderTopStyle, background: s.backgroundColor, color: s.color}; };
const tables = [...document.querySelectorAll('table')].map(t => ({
  header: [...t.querySelectorAll('thead th')].map(th => th.textContent),
  numbers: [...t.querySelectorAll('tbody td.num')].map(style),
  cells: [...t.querySelectorAll('tbody td')].map(style)}));
const badges = Object.fromEntries([...document.querySelectorAll('.status')].map(b => [b.textContent, style(b)]));
const out = document.createElement('pre'); out.id = 'probe';
out.textContent = JSON.stringify({tables, badges, verdict: style(document.querySelector('h1')),
                                  headline: document.querySelector('h1').textContent});
document.body.append(out);
</script>"""


def chromium(*args):
    return subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
                          capture_output=True, text=True, timeout=120)


def png_pixels(path):
    """(width, height, set of RGB colours) of an 8-bit RGB or RGBA PNG, as Chromium writes them."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and not interlace, header
    bpp = 3 if colour_type == 2 else 4
    raw, stride, colours, previous = zlib.decompress(idat), width * bpp, set(), bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):  # undo the PNG row filter
            a = line[i - bpp] if i >= bpp else 0
            b, c = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        colours.update(tuple(line[i:i + 3]) for i in range(0, stride, bpp))
        previous = line
    return width, height, colours


class HtmlPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cibench-report-html-")
        config = os.path.join(cls.dir, "ci-bench.toml")

        def write(hot_extra):
            with open(config, "w") as f:
                f.write(f'[[suite]]\nbinary = "{TESTSUITE}"\ntool = "callgrind"\n'
                        f'env = {{ TESTSUITE_HOT_EXTRA = "{hot_extra}" }}\n'
                        f'[[benchmark]]\nname = "<b>plain</b> & loop"\ncommand = ["{TESTPROG}", "loop", "1000"]\n'
                        f'[[compare]]\nname = "loop vs two_functions"\nbaseline = "two_functions"\ncandidate = "loop"\n')
        run = lambda *a: subprocess.run([CIBENCH, "run", "--config", config, "--out", os.path.join(cls.dir, "out"), *a],
                                        capture_output=True, text=True)
        write(0)
        run("--update-baselines", "--filter", "two_functions|loop")
        write(20000)
        with open(config, "a") as f:
            f.write(f'[[benchmark]]\nname = "crash"\ncommand = ["{TESTPROG}", "crash"]\n')
        run("--filter", "two_functions|loop|^empty$|crash")
        proc = subprocess.run([sys.executable, REPORT, os.path.join(cls.dir, "out", "results.json"), "--format", "html",
                               "--head-sha", "0123456789abcdef0123456789abcdef01234567"], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        cls.page = os.path.join(cls.dir, "report.html")
        with open(cls.page, "w") as f:
            f.write(proc.stdout)
        probed = os.path.join(cls.dir, "probed.html")
        with open(probed, "w") as f:
            f.write(proc.stdout.replace("</body>", PROBE + "</body>"))
        dom = chromium("--dump-dom", "file://" + probed)
        start, end = dom.stdout.index('<pre id="probe">') + len('<pre id="probe">'), dom.stdout.rindex("</pre>")
        cls.probe = json.loads(dom.stdout[start:end].replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                               .replace("&amp;", "&"))
        os.makedirs(OUTPUT, exist_ok=True)
        cls.screenshot = os.path.join(OUTPUT, "report.png")
        if os.path.exists(cls.screenshot):
            os.unlink(cls.screenshot)
        cls.shot = chromium(f"--screenshot={cls.screenshot}", f"--window-size={WIDTH},{HEIGHT}", "file://" + cls.page)
        shutil.copy(cls.page, os.path.join(OUTPUT, "report.html"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)  # the page and its screenshot stay in OUTPUT

    def test_every_table_has_a_header_and_borders(self):
        headers = [t["header"] for t in self.probe["tables"]]
        self.assertEqual(headers, [["benchmark", "status", "kind", "error"],
                                   ["benchmark", "metric", "baseline", "now", "change", "status"],
                                   ["function", "before", "after", "change"],
                                   ["line", "ran in", "before", "after", "change"],
                                   ["comparison", "candidate", "baseline", "instructions ratio", "estimated cycles ratio", "note"],
                                   ["benchmark", "metric", "value", "change"]])
        for table in self.probe["tables"]:
            for cell in table["cells"]:
                self.assertEqual((cell["border"], cell["borderStyle"]), ("1px", "solid"))

    def test_numbers_are_right_aligned(self):
        numbers = [cell for t in self.probe["tables"] for cell in t["numbers"]]
        self.assertGreaterEqual(len(numbers), 10)
        self.assertEqual({cell["align"] for cell in numbers}, {"right"})

    def test_each_status_has_its_own_colour_and_the_verdict_is_red(self):
        badges = self.probe["badges"]
        self.assertLessEqual({"error", "fail", "new"}, set(badges))
        self.assertEqual(len({badges[s]["background"] for s in ("error", "fail", "new")}), 3)
        self.assertEqual(badges["fail"]["background"], "rgb(207, 34, 46)")
        self.assertEqual(self.probe["headline"], "ci-bench: errors")
        self.assertEqual(self.probe["verdict"]["background"], "rgb(255, 235, 233)")

    def test_the_screenshot_shows_the_page_with_its_colours(self):
        self.assertEqual(self.shot.returncode, 0, self.shot.stderr[-2000:])
        width, height, colours = png_pixels(self.screenshot)
        self.assertEqual((width, height), (WIDTH, HEIGHT))
        for colour in (FAIL_RED, ERROR_RED, NEW_BLUE):
            self.assertIn(colour, colours, f"no {colour} in {self.screenshot}")

    def test_names_are_escaped(self):
        with open(self.page) as f:
            page = f.read()
        self.assertIn("&lt;b&gt;plain&lt;/b&gt; &amp; loop", page)
        self.assertNotIn("<b>plain", page)


if __name__ == "__main__":
    unittest.main()

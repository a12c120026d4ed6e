"""ci-bench history board, rendered by headless Chromium: every chart drawn, hovering a chart shows
the commit under the mouse, no console error, screenshots kept in build/test-output/history/ (look
at them: board.png, benchmark.png, benchmark-hover.png)."""
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse

from cibench_test import CIBENCH

OUTPUT = os.path.join(os.path.dirname(os.path.dirname(CIBENCH)), "test-output", "history")  # beside build/bin
# Names a board must escape, and an ordinary one.
NAMES = ["sort.100k", "<script>alert(1)</script>", "quote\"'&amp;", "hash/map/insert"]
POINTS = 40
METRICS = ["instructions", "Ir", "estimated_cycles", "l1_hits"]
# What each page charts, in its order (the main metric first, then the registry's), under these labels.
CHARTED = ["instructions", "l1_hits", "estimated_cycles"]
LABELS = {"instructions": "Instructions", "l1_hits": "L1 Hits", "estimated_cycles": "Estimated Cycles",
          "text_bytes": "Code (.text)", "file_bytes": "File size", "rodata_bytes": "Read-only data"}
# A library's size check ([[artifact]]): no instructions, so it is known by its code size.
SIZE = "size.libshop.a"
COMMIT_URL = "https://git.example.org/shop/commit/{sha}"


def size_metrics(k):
    return {"file_bytes": 90_000 + 8 * k, "text_bytes": 40_000 + 8 * k, "rodata_bytes": 5_000}

# One point is filed under a branch name that tries to end the page's data and script.
EVIL_POINT, EVIL_BRANCH = 5, "evil</script><script>alert(2)</script>\"'&"
# The slots whose hover the probe tries: the first, the evil one, the middle and the last.
HOVERED = [0, EVIL_POINT, POINTS // 2, POINTS - 1]

# Appended to a copy of each page: what Chromium drew, and what hovering each chart's slots shows
# (a mouse event dispatched at the slot's place on screen), written into the DOM for --dump-dom.
PROBE = """<script>
const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
  const line = svg.querySelector('polyline.series'), box = line.getBBox();
  const section = svg.closest('section.metric');
  const chart = {label: svg.getAttribute('aria-label'), metric: section && section.dataset.metric,
                 heading: section && section.querySelector('h2').textContent,
                 links: [...svg.querySelectorAll('a')].map(a => [a.getAttribute('href'), a.textContent]),
                 points: +svg.dataset.points, width: box.width, height: box.height,
                 drawn: line.getTotalLength(), vertices: line.points.numberOfItems,
                 marked: svg.querySelectorAll('circle.fail, circle.warn').length};
  if (svg.dataset.series !== undefined) {
    const slots = +svg.dataset.slots, left = +svg.dataset.left, width = +svg.dataset.plotWidth;
    chart.tips = HOVERED.map(i => {
      const at = new DOMPoint(left + width * i / (slots - 1), 60).matrixTransform(svg.getScreenCTM());
      svg.dispatchEvent(new MouseEvent('mousemove', {clientX: at.x, clientY: at.y, bubbles: true}));
      const tip = document.querySelector('.tip');
      return {slot: i, text: tip && !tip.hidden ? tip.textContent : null,
              cursor: svg.querySelector('.cursor').getAttribute('visibility')};
    });
  }
  return chart;
});
const tiles = [...document.querySelectorAll('a.tile')].map(a => ({name: a.dataset.benchmark, colour: a.className,
  background: getComputedStyle(a).backgroundColor, arrow: a.querySelector('.arrow').textContent,
  metric: a.dataset.metric, latest: a.querySelector('.latest').textContent,
  group: a.closest('.tiles').previousElementSibling.textContent}));
const raw = [...document.querySelectorAll('details.raw tr[data-metric]')].map(tr => tr.dataset.metric);
const data = document.getElementById('board-data');
const out = document.createElement('pre'); out.id = 'probe';
out.textContent = JSON.stringify({charts, tiles, raw, data: data && JSON.parse(data.textContent),
  scripts: [...document.scripts].map(s => ({type: s.type, src: s.getAttribute('src')}))});
document.body.append(out);
</script>""".replace("HOVERED", json.dumps(HOVERED))

# Appended to a copy of a page for a screenshot: the mouse on slot SLOT of its first chart.
HOVER = """<script>
const svg = document.querySelector('svg.chart[data-series]');
const slots = +svg.dataset.slots, left = +svg.dataset.left, width = +svg.dataset.plotWidth;
const at = new DOMPoint(left + width * SLOT / (slots - 1), 60).matrixTransform(svg.getScreenCTM());
svg.dispatchEvent(new MouseEvent('mousemove', {clientX: at.x, clientY: at.y, bubbles: true}));
</script>"""


def value(i, k, j):
    """Benchmark i's metric j (METRICS' order) at point k; Ir is instructions, as in any real file."""
    base = 1_000_000 * (i + 1)
    return base + (300 * k if i == 0 else 0) + (150_000 if i == 1 and k == POINTS - 1 else 0) + (0 if METRICS[j] == "Ir" else j)


def grouped(v):
    return f"{v:,}".replace(",", " ")


def chromium(*args):
    return subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--enable-logging=stderr", "--v=0", *args], capture_output=True, text=True, timeout=120)


def url(path):
    return "file://" + urllib.parse.quote(path)


def console_errors(stderr):
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def probe(page):
    probed = page + ".probed.html"
    with open(page) as f:
        text = f.read()
    with open(probed, "w") as f:
        f.write(text.replace("</body>", PROBE + "</body>"))
    run = chromium("--dump-dom", url(probed))
    os.unlink(probed)
    found = re.search(r'<pre id="probe">(.*?)</pre>', run.stdout, re.S)
    assert found, run.stderr[-2000:]
    return json.loads(html.unescape(found.group(1))), run


class Board(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="cibench-board-")
        cls.history = os.path.join(cls.dir, "h.sqlite")
        files = []
        for k in range(POINTS):
            path = os.path.join(cls.dir, f"r{k}.json")
            benchmarks = []
            for i, name in enumerate(NAMES):
                status = "fail" if i == 1 and k == POINTS - 1 else ("warn" if i == 2 and k == 10 else "pass")
                benchmarks.append({"name": name, "status": status,
                                   "metrics": {m: value(i, k, j) for j, m in enumerate(METRICS)}})
            benchmarks.append({"name": SIZE, "status": "pass", "metrics": size_metrics(k)})
            with open(path, "w") as f:
                json.dump({"schema": 1, "benchmarks": benchmarks,
                           "commit": {"sha": f"{k:040x}", "parent": f"{k - 1:040x}" if k else "",
                                      "branch": EVIL_BRANCH if k == EVIL_POINT else "main",
                                      "time": 1_700_000_000 + 3600 * k}}, f)
            files.append(path)
        subprocess.run([CIBENCH, "history", "import", "--history", cls.history, *files], check=True, capture_output=True)
        cls.site = os.path.join(cls.dir, "board")
        cls.built = subprocess.run([CIBENCH, "history", "board", "--history", cls.history, "--out", cls.site,
                                    "--all-branches", "--commit-url", COMMIT_URL], capture_output=True, text=True)
        cls.index = os.path.join(cls.site, "index.html")
        cls.probe, cls.index_run = probe(cls.index)
        os.makedirs(OUTPUT, exist_ok=True)
        cls.screenshot = os.path.join(OUTPUT, "board.png")
        if os.path.exists(cls.screenshot):
            os.unlink(cls.screenshot)
        cls.shot = chromium(f"--screenshot={cls.screenshot}", "--window-size=1100,700", url(cls.index))
        pages = sorted(os.listdir(os.path.join(cls.site, "b")))
        cls.pages = {p: probe(os.path.join(cls.site, "b", p)) for p in pages}
        first = os.path.join(cls.site, "b", pages[0])
        cls.page_shot = chromium(f"--screenshot={os.path.join(OUTPUT, 'benchmark.png')}", "--window-size=900,900",
                                 url(first))
        # The same page with the mouse on the first chart at the evil point: the tooltip, as a person sees it.
        hovered = first + ".hovered.html"
        with open(first) as f, open(hovered, "w") as out:
            out.write(f.read().replace("</body>", HOVER.replace("SLOT", str(EVIL_POINT)) + "</body>"))
        cls.hover_png = os.path.join(OUTPUT, "benchmark-hover.png")
        if os.path.exists(cls.hover_png):
            os.unlink(cls.hover_png)
        cls.hover_shot = chromium(f"--screenshot={cls.hover_png}", "--window-size=900,500", url(hovered))
        os.unlink(hovered)
        if os.path.exists(os.path.join(OUTPUT, "board")):
            shutil.rmtree(os.path.join(OUTPUT, "board"))
        shutil.copytree(cls.site, os.path.join(OUTPUT, "board"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)  # the site and screenshots stay in OUTPUT

    def test_the_board_was_written(self):
        self.assertEqual(self.built.returncode, 0, self.built.stderr)
        self.assertIn(f"({len(NAMES) + 2} files)", self.built.stdout)

    def test_a_rebuilt_board_drops_pages_of_benchmarks_gone_and_keeps_other_files(self):
        site = os.path.join(self.dir, "rebuilt")
        board = [CIBENCH, "history", "board", "--history", self.history, "--out", site]
        subprocess.run(board, check=True, capture_output=True)
        with open(os.path.join(site, "b", "retired.html"), "w") as f:
            f.write("a benchmark since removed")
        with open(os.path.join(site, "CNAME"), "w") as f:
            f.write("bench.example.org")
        subprocess.run(board, check=True, capture_output=True)
        self.assertNotIn("retired.html", os.listdir(os.path.join(site, "b")))
        self.assertEqual(sorted(os.listdir(site)), ["CNAME", "b", "index.html"])  # no temporary folder left
        # index.html cannot be written: nothing is, the old board stays whole.
        blocked = os.path.join(self.dir, "blocked")
        os.makedirs(os.path.join(blocked, "index.html"))
        p = subprocess.run([CIBENCH, "history", "board", "--history", self.history, "--out", blocked],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("index.html is a folder", p.stderr)
        self.assertEqual(os.listdir(blocked), ["index.html"])
        # A branch typed wrong, or a metric no benchmark has, is an error, not an empty board.
        for args, said in ((["--branch", "mian"], "--branch mian: no points on that branch"),
                           (["--metric", "bogus"], "--metric bogus: no benchmark has that metric")):
            p = subprocess.run(board + args, capture_output=True, text=True)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn(said, p.stderr)
            self.assertEqual(len(os.listdir(os.path.join(site, "b"))), len(NAMES) + 1)

    def test_every_benchmark_has_a_tile_with_its_chart_drawn(self):
        self.assertEqual(sorted(t["name"] for t in self.probe["tiles"]), sorted(NAMES + [SIZE]))
        self.assertEqual(len(self.probe["charts"]), len(NAMES) + 1)
        for chart in self.probe["charts"]:
            self.assertEqual(chart["points"], POINTS, chart)
            self.assertGreater(chart["width"], 100, chart)
            self.assertGreater(chart["drawn"], 0, chart)

    def test_tiles_are_red_yellow_green_with_trend_arrows(self):
        tiles = {t["name"]: t for t in self.probe["tiles"]}
        self.assertIn("red", tiles["<script>alert(1)</script>"]["colour"])
        self.assertEqual(tiles["<script>alert(1)</script>"]["background"], "rgb(255, 215, 213)")
        self.assertIn("green", tiles["hash/map/insert"]["colour"])
        self.assertEqual(tiles["hash/map/insert"]["arrow"], "→")
        # sort.100k rose 300 × 19 over the last 20 points: +0.54 %, stable; all pass: green.
        self.assertEqual(tiles["sort.100k"]["arrow"], "→")

    def test_tiles_lead_with_the_main_metric_grouped_by_prefix(self):
        tiles = {t["name"]: t for t in self.probe["tiles"]}
        for name in NAMES:
            self.assertEqual(tiles[name]["metric"], "instructions", name)
            self.assertTrue(tiles[name]["latest"].startswith("Instructions "), tiles[name])
        latest = 40_000 + 8 * (POINTS - 1)
        self.assertEqual(tiles[SIZE]["metric"], "text_bytes")
        self.assertEqual(tiles[SIZE]["latest"], f"Code (.text) {latest / 1024:.1f} KiB")
        self.assertEqual(tiles[SIZE]["group"], "size")
        self.assertEqual(tiles["sort.100k"]["group"], "sort")
        self.assertEqual(tiles["hash/map/insert"]["group"], "hash")

    def test_every_benchmark_page_leads_with_its_main_metric_and_hides_raw_events(self):
        self.assertEqual(len(self.pages), len(NAMES) + 1)
        for page, (found, _) in self.pages.items():
            metrics = [c["metric"] for c in found["charts"]]
            if page.startswith("size."):
                self.assertEqual(metrics, ["text_bytes", "file_bytes", "rodata_bytes"], page)
                self.assertEqual(found["raw"], [], page)
            else:
                self.assertEqual(metrics, CHARTED, page)
                self.assertEqual(found["raw"], ["Ir"], page)  # Valgrind's own name, in the closed section only
            self.assertEqual([c["heading"] for c in found["charts"]], [LABELS[m] for m in metrics], page)
            # The time axis: commits and dates, each a link to its commit.
            for c in found["charts"]:
                self.assertEqual([href for href, _ in c["links"]],
                                 [COMMIT_URL.replace("{sha}", f"{k:040x}") for k in (0, 13, 26, 39)], (page, c["metric"]))
                self.assertEqual(c["links"][0][1], f"{0:07x} 2023-11-14", (page, c["metric"]))

    def test_every_benchmark_page_draws_a_chart_per_metric(self):
        self.assertEqual(len(self.pages), len(NAMES) + 1)
        for page, (found, run) in self.pages.items():
            charts = found["charts"]
            for c in charts:
                self.assertEqual(c["points"], POINTS, (page, c))
                self.assertGreater(c["drawn"], 0, (page, c))
            self.assertEqual(console_errors(run.stderr), [], page)
        failing = next(f for p, (f, _) in self.pages.items() if p.startswith("%3Cscript"))
        self.assertEqual(failing["charts"][0]["marked"], 1)

    def test_hovering_a_chart_shows_the_commit_under_the_mouse(self):
        for page, (found, _) in self.pages.items():
            if page.startswith("size."):
                continue
            i = NAMES.index(found["charts"][0]["label"].removesuffix(" Instructions"))
            charted = CHARTED
            for c in found["charts"]:
                j = METRICS.index(c["metric"])
                for tip in c["tips"]:
                    k = tip["slot"]
                    self.assertEqual(tip["cursor"], "visible", (page, c["label"], tip))
                    status = "fail" if i == 1 and k == POINTS - 1 else ("warn" if i == 2 and k == 10 else "pass")
                    branch = EVIL_BRANCH if k == EVIL_POINT else "main"
                    self.assertIsNotNone(tip["text"], (page, c["label"], tip))
                    self.assertTrue(tip["text"].startswith(f"{k:040x}"[:12] + " 2023-11-"), tip)
                    self.assertTrue(tip["text"].endswith(f" on {branch}: {grouped(value(i, k, j))} ({status})"),
                                    (page, c["label"], tip))
            # The data the tooltips read: a slot per point, a series per chart, in order.
            data = found["data"]
            self.assertEqual(len(data["points"]), POINTS)
            self.assertEqual([p[0] for p in data["points"]], [f"{k:040x}"[:12] for k in range(POINTS)])
            self.assertEqual(len(data["series"]), len(charted))
            for series, metric in zip(data["series"], charted):
                self.assertEqual(series, [value(i, k, METRICS.index(metric)) for k in range(POINTS)], (page, metric))

    def test_tile_links_lead_to_the_pages(self):
        with open(self.index) as f:
            hrefs = re.findall(r'href="b/([^"]*)"', f.read())
        self.assertEqual(sorted(urllib.parse.unquote(h) for h in hrefs), sorted(self.pages))

    def test_outside_text_is_escaped_and_nothing_loads_from_the_network(self):
        self.assertEqual(self.probe["scripts"], [{"type": "", "src": None}])  # the probe's: the index has none
        with open(self.index) as f:
            text = f.read()
        self.assertNotIn("<script>alert", text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", text)
        self.assertIsNone(re.search(r"(src|<link[^>]*href)=\"(https?:)?//", text))
        for page, (found, _) in self.pages.items():
            # The page's data and its hover script, both inline; then the probe.
            self.assertEqual(found["scripts"], [{"type": "application/json", "src": None}, {"type": "", "src": None},
                                                {"type": "", "src": None}], page)
            with open(os.path.join(self.site, "b", page)) as f:
                text = f.read()
            self.assertNotIn("<script>alert", text, page)
            self.assertNotIn("evil</script>", text, page)
            self.assertIsNone(re.search(r"(src|<link[^>]*href)=\"(https?:)?//", text), page)

    def test_no_console_errors_and_a_screenshot_kept(self):
        self.assertEqual(console_errors(self.index_run.stderr), [])
        self.assertEqual(self.shot.returncode, 0, self.shot.stderr[-2000:])
        self.assertGreater(os.path.getsize(self.screenshot), 10_000)
        self.assertEqual(self.hover_shot.returncode, 0, self.hover_shot.stderr[-2000:])
        self.assertEqual(console_errors(self.hover_shot.stderr), [])
        self.assertGreater(os.path.getsize(self.hover_png), 10_000)


if __name__ == "__main__":
    unittest.main()

"""The shape of the code (issue 21), read from the source with `ast`, without running any of it:
- no product script in tools/ imports from tools/dev/ (developer measurement scripts, never installed);
- no import cycle among the modules of a folder of tools/, counting imports inside functions too
  (a lazy import is still a cycle: neither module can be read, tested or moved without the other);
- no source file over 400 lines.
Each check is first shown to catch what it is for, on modules written for it in a temporary folder."""
import ast
import glob
import os
import shutil
import tempfile
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOLS = os.path.join(REPO, "tools")
DEV = os.path.join(TOOLS, "dev")
MAX_LINES = 400
# (folder, pattern) of the files held to MAX_LINES: the scripts and the driver's sources.
LIMITED = [("tools", "**/*.py"), ("harness/src", "**/*.[ch]pp"), ("harness/include", "**/*.hpp")]


def imported_names(path):
    """Every module `path` imports, wherever the import stands (top level, function, branch)."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules_of(folder):
    """{module name: path} of the .py files directly in `folder`: what a script there imports by name,
    since Python puts a script's own folder first on sys.path."""
    return {os.path.basename(p)[:-3]: p for p in glob.glob(os.path.join(folder, "*.py"))}


def dev_imports(tools, dev):
    """(product script, what it imports) for each import of tools/dev/ by a script in tools/."""
    dev_modules = {os.path.basename(p)[:-3] for p in glob.glob(os.path.join(dev, "**", "*.py"), recursive=True)}
    found = []
    for name, path in sorted(modules_of(tools).items()):
        for imported in sorted(imported_names(path)):
            top = imported.split(".")[0]
            if top == os.path.basename(dev) or top in dev_modules:
                found.append((name, imported))
    return found


def import_cycles(folder):
    """The import cycles among the modules of `folder`, each as [a, b, ..., a]; empty when there is none."""
    modules = modules_of(folder)
    edges = {name: sorted({i.split(".")[0] for i in imported_names(path)} & modules.keys() - {name})
             for name, path in modules.items()}
    cycles, state = [], {}  # state: "open" while on the current path, "done" once all it reaches is seen

    def visit(name, path):
        state[name] = "open"
        for nxt in edges[name]:
            if state.get(nxt) == "open":
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[name] = "done"

    for name in sorted(modules):
        if name not in state:
            visit(name, [name])
    return cycles


def long_files(root, limited):
    """(path relative to root, lines) of each file over MAX_LINES among `limited`'s (folder, pattern)."""
    found = []
    for folder, pattern in limited:
        for path in sorted(glob.glob(os.path.join(root, folder, pattern), recursive=True)):
            with open(path, encoding="utf-8") as f:
                lines = sum(1 for _ in f)
            if lines > MAX_LINES:
                found.append((os.path.relpath(path, root), lines))
    return found


def folders_of_modules(root):
    return sorted({os.path.dirname(p) for p in glob.glob(os.path.join(root, "**", "*.py"), recursive=True)})


class TheChecksCatchWhatTheyAreFor(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cibench-layout-")
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, relative, text):
        path = os.path.join(self.dir, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    def test_a_lazy_import_inside_a_function_closes_a_cycle(self):
        self.write("page.py", "def render():\n    from comment import parts\n    return parts()\n")
        self.write("comment.py", "import os\nimport page\n\ndef parts():\n    return []\n")
        self.write("alone.py", "import comment\n")
        self.assertEqual(import_cycles(self.dir), [["comment", "page", "comment"]])

    def test_a_longer_cycle_is_found_and_a_chain_is_not_one(self):
        self.write("a.py", "from b import x\n")
        self.write("b.py", "import c.sub\n")
        self.write("c.py", "if False:\n    import a\n")
        self.write("d.py", "import a\n")
        self.assertEqual(import_cycles(self.dir), [["a", "b", "c", "a"]])
        os.remove(os.path.join(self.dir, "c.py"))
        self.assertEqual(import_cycles(self.dir), [])

    def test_a_product_script_importing_a_developer_script_is_found(self):
        self.write("dev/speed.py", "import json\n")
        self.write("dev/side/run.py", "import json\n")
        self.write("report.py", "import json\nimport results\n")
        self.write("results.py", "def load():\n    import speed\n")
        self.write("export.py", "from dev.side import run\n")
        self.assertEqual(dev_imports(self.dir, os.path.join(self.dir, "dev")),
                         [("export", "dev.side"), ("results", "speed")])

    def test_a_file_over_the_limit_is_found_and_one_at_it_is_not(self):
        self.write("tools/at.py", "x = 1\n" * MAX_LINES)
        self.write("tools/dev/over.py", "x = 1\n" * (MAX_LINES + 1))
        self.write("other/over.py", "x = 1\n" * (MAX_LINES + 1))
        self.assertEqual(long_files(self.dir, [("tools", "**/*.py")]), [(os.path.join("tools", "dev", "over.py"), 401)])


class Layout(unittest.TestCase):
    def test_no_product_script_imports_a_developer_script(self):
        self.assertTrue(os.path.isdir(DEV))
        self.assertEqual(dev_imports(TOOLS, DEV), [])

    def test_no_import_cycle_among_the_scripts(self):
        folders = folders_of_modules(TOOLS)
        self.assertIn(TOOLS, folders)
        for folder in folders:
            with self.subTest(folder=os.path.relpath(folder, REPO)):
                self.assertEqual(import_cycles(folder), [])

    def test_no_source_file_over_the_limit(self):
        self.assertEqual(long_files(REPO, LIMITED), [], f"over {MAX_LINES} lines: split by concern")


if __name__ == "__main__":
    unittest.main()

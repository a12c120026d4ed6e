"""The examples in README.md and docs/*.md, checked against the real driver.

- Every ```toml block is a ci-bench config and must load: it is written to a file and read by
  `ci-bench history show --config FILE --history ABSENT`, which loads the whole config (every key,
  type, threshold and metric name) and then stops, because the history file does not exist. So
  the one error a good block may give is that one. Loading checks no program or file the config
  names, so examples may name programs that exist only in a user's project. The driver refuses a
  config with nothing to run; a block of settings alone (no [[benchmark]], [[suite]] or
  [[artifact]]) is loaded with one placeholder benchmark added after it.
  A block that is not a whole config (the keys of one table, say) is marked with
  `<!-- fragment -->` on the line before its fence, and is checked as TOML syntax only.
- Every command line that runs `ci-bench` (in ```sh, ```bash and ```console blocks, and in inline
  code spans of the prose) names subcommands and options that `ci-bench ... --help` lists.
- Every file or folder of the repository the docs name (tools/..., ci/..., harness/...) exists.
"""
import functools
import glob
import os
import re
import shlex
import subprocess
import tempfile
import tomllib
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CIBENCH = os.environ["CIBENCH"]
FRAGMENT_MARK = "<!-- fragment -->"
SHELL_LANGUAGES = {"sh", "bash", "console", "shell"}
RUNNABLE_TABLES = re.compile(r"^\s*\[\[(benchmark|suite|artifact)\]\]", re.MULTILINE)
PLACEHOLDER_BENCHMARK = '\n[[benchmark]]\nname = "docs.placeholder"\ncommand = ["true"]\n'


def documents():
    return [os.path.join(REPO, "README.md")] + sorted(glob.glob(os.path.join(REPO, "docs", "*.md")))


class Block:
    def __init__(self, path, line, language, text, fragment):
        self.path, self.line, self.language, self.text, self.fragment = path, line, language, text, fragment

    def where(self):
        return f"{os.path.relpath(self.path, REPO)}:{self.line}"


def blocks_and_prose(path):
    """The fenced blocks of a Markdown file, and its prose lines (line number, text) outside them."""
    blocks, prose = [], []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        opening = re.match(r"^\s*```\s*([\w-]*)\s*$", lines[i])
        if not opening:
            prose.append((i + 1, lines[i]))
            i += 1
            continue
        before = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        end = next((j for j in range(i + 1, len(lines)) if re.match(r"^\s*```\s*$", lines[j])), None)
        if end is None:
            raise AssertionError(f"{os.path.relpath(path, REPO)}:{i + 1}: a code block that is never closed")
        blocks.append(Block(path, i + 1, opening.group(1).lower(), "\n".join(lines[i + 1:end]) + "\n",
                            before == FRAGMENT_MARK))
        i = end + 1
    return blocks, prose


def all_blocks():
    return [b for path in documents() for b in blocks_and_prose(path)[0]]


def load_with_driver(config_text):
    """The driver's verdict on a config: None when it loads, else the driver's message."""
    with tempfile.TemporaryDirectory(prefix="cibench-docs-") as folder:
        config = os.path.join(folder, "ci-bench.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(config_text)
        absent = os.path.join(folder, "absent.sqlite")
        proc = subprocess.run([CIBENCH, "history", "show", "--config", config, "--history", absent],
                              capture_output=True, text=True, timeout=60)
        loaded = proc.returncode == 2 and f"history {absent}: no such file" in proc.stderr
        return None if loaded else f"exit {proc.returncode}: {proc.stderr.strip() or proc.stdout.strip()}"


# --- command lines ----------------------------------------------------------------------------

class CommandSpec:
    """What `ci-bench [PATH...] --help` lists: options (and whether each takes a value), subcommands."""

    def __init__(self, help_text):
        self.options, self.subcommands = {}, set()
        section = None
        for line in help_text.split("\n"):
            if re.match(r"^(Options|OPTIONS):", line):
                section = "options"
            elif re.match(r"^(Subcommands|SUBCOMMANDS):", line):
                section = "subcommands"
            elif not line.startswith(" "):
                section = None
            elif section == "options" and re.match(r"^\s+-", line):
                names, _, rest = line.strip().partition(" ")
                # A value's type (TEXT, INT, OTHER_CONFIG...) follows the names after one space; a
                # flag's description comes after a wide gap.
                takes_value = bool(re.match(r"[A-Z][A-Z0-9_]*([\s=:]|$)", rest))
                for name in names.split(","):
                    self.options[name] = takes_value
            elif section == "subcommands" and re.match(r"^  \S", line):
                self.subcommands.add(line.split()[0])


@functools.lru_cache(maxsize=None)
def spec(path):
    proc = subprocess.run([CIBENCH, *path, "--help"], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise AssertionError(f"ci-bench {' '.join(path)} --help: exit {proc.returncode}: {proc.stderr}")
    return CommandSpec(proc.stdout)


def command_problems(args):
    """What is wrong with `ci-bench ARGS`: unknown subcommands and options ([] when nothing)."""
    path, problems, i = (), [], 0
    if not args:
        return ["no subcommand"]
    while i < len(args):
        arg, current = args[i], spec(path)
        i += 1
        if arg == "--":
            continue
        if arg == "..." or re.fullmatch(r"[A-Z][A-Z_]*", arg) and current.subcommands:
            return problems  # a placeholder for the rest (`ci-bench history ...`, `ci-bench SUBCOMMAND`)
        if arg.startswith("-") and len(arg) > 1:
            name = arg.split("=", 1)[0]
            if name not in current.options:
                problems.append(f"`{' '.join(('ci-bench',) + path)}` has no option {name}")
            elif current.options[name] and "=" not in arg:
                i += 1  # its value
        elif current.subcommands:
            if arg in current.subcommands:
                path += (arg,)
            else:
                problems.append(f"`{' '.join(('ci-bench',) + path)}` has no subcommand {arg!r}")
                break
    if spec(path).subcommands:
        problems.append(f"`{' '.join(('ci-bench',) + path)}` needs a subcommand")
    return problems


PREFIXES = {"sudo", "time", "/usr/bin/time", "nice", "env", "exec"}
OPERATORS = {"|", "||", "&&", ";", "&", "(", ")"}
REDIRECTIONS = {">", ">>", "<", "2>", "&>", ">&"}


def ci_bench_invocations(command_line):
    """The arguments of every `ci-bench` (or `build/bin/ci-bench`...) run by a shell command line."""
    lexer = shlex.shlex(command_line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    simple, commands = [], []
    for token in tokens + [";"]:
        if token in OPERATORS:
            commands.append(simple)
            simple = []
        else:
            simple.append(token)
    for words in commands:
        # Drop redirections and their targets.
        kept, skip = [], False
        for w in words:
            if skip:
                skip = False
            elif w in REDIRECTIONS:
                skip = True
            else:
                kept.append(w)
        while kept and (kept[0] in PREFIXES or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", kept[0])):
            kept.pop(0)
        if kept and os.path.basename(kept[0]) == "ci-bench":
            yield kept[1:]


def shell_lines(block):
    """A shell block's command lines, continuation lines joined, prompts and output dropped."""
    text = block.text.replace("\\\n", " ")
    for line in text.split("\n"):
        if block.language == "console":
            if not line.startswith("$ "):
                continue  # output
            line = line[2:]
        if line.strip():
            yield line


def inline_commands(path):
    """(line, code) for every inline code span of the prose that starts by running ci-bench."""
    for number, line in blocks_and_prose(path)[1]:
        for code in re.findall(r"`([^`]+)`", line):
            first = code.split()[0] if code.split() else ""
            if os.path.basename(first) == "ci-bench" and len(code.split()) > 1:
                yield number, code


class Docs(unittest.TestCase):
    def test_the_config_check_rejects_what_the_driver_rejects(self):
        # The check itself: a config the driver refuses must not pass as loaded.
        self.assertIsNone(load_with_driver(PLACEHOLDER_BENCHMARK))
        refused = load_with_driver('inputs = ["data/words.txt"]\n' + PLACEHOLDER_BENCHMARK)
        self.assertIsNotNone(refused)
        self.assertIn("unknown key 'inputs'", refused)

    def test_the_command_check_rejects_what_the_driver_rejects(self):
        self.assertEqual(command_problems(["run", "--filter", "x", "--update-baselines"]), [])
        self.assertEqual(command_problems(["history", "show", "--last", "5", "--json"]), [])
        self.assertTrue(command_problems(["run", "--no-such-option"]))
        self.assertTrue(command_problems(["histroy", "show"]))
        self.assertTrue(command_problems(["history", "--filter", "x"]))
        self.assertEqual(command_problems(["SUBCOMMAND", "--help"]), [])
        self.assertEqual(list(ci_bench_invocations("make && build/bin/ci-bench run --filter 'a b' > out # note")),
                         [["run", "--filter", "a b"]])
        self.assertEqual(list(ci_bench_invocations("make ci-bench ARGS='--history h'")), [])

    def test_every_toml_block_loads(self):
        blocks = [b for b in all_blocks() if b.language == "toml"]
        self.assertGreater(len(blocks), 5)
        for block in blocks:
            with self.subTest(block=block.where()):
                try:
                    tomllib.loads(block.text)
                except tomllib.TOMLDecodeError as e:
                    self.fail(f"{block.where()}: not TOML: {e}")
                if block.fragment:
                    continue
                text = block.text if RUNNABLE_TABLES.search(block.text) else block.text + PLACEHOLDER_BENCHMARK
                problem = load_with_driver(text)
                self.assertIsNone(problem, f"{block.where()}: the driver refuses this config "
                                           f"(mark it {FRAGMENT_MARK} if it is not a whole config): {problem}")

    def test_every_command_names_real_subcommands_and_options(self):
        checked = 0
        for block in all_blocks():
            if block.language not in SHELL_LANGUAGES:
                continue
            for line in shell_lines(block):
                for args in ci_bench_invocations(line):
                    checked += 1
                    with self.subTest(at=block.where(), command=line):
                        self.assertEqual(command_problems(args), [], f"{block.where()}: {line}")
        for path in documents():
            for number, code in inline_commands(path):
                for args in ci_bench_invocations(code):
                    checked += 1
                    where = f"{os.path.relpath(path, REPO)}:{number}"
                    with self.subTest(at=where, command=code):
                        self.assertEqual(command_problems(args), [], f"{where}: {code}")
        self.assertGreater(checked, 10)

    def test_every_file_of_the_repository_named_exists(self):
        # A script or folder that moved (tools/dev/, say) leaves no command in the docs naming the old place.
        named = re.compile(r"(?<![\w./-])((?:ci|cmake|harness|tests|tools|workloads)/[\w./-]*[\w/])")
        checked = 0
        for path in documents():
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    for name in named.findall(line):
                        checked += 1
                        self.assertTrue(os.path.exists(os.path.join(REPO, name)),
                                        f"{os.path.relpath(path, REPO)}:{number}: {name} does not exist")
        self.assertGreater(checked, 50)


if __name__ == "__main__":
    unittest.main()

"""Outside text made visible, as the driver shows it (harness/src/util/utf8.hpp): the control
characters, direction overrides and lone surrogates a results.json from a fork may carry are shown as
escapes (\\x1b, \\u{9b}, \\u{202e}), so none of them moves a terminal's cursor, retitles its window,
makes a page or a comment read in another order than it is stored, or breaks the UTF-8 written out."""
import re

# C0 and DEL, C1, the bidirectional marks and overrides, and surrogates (json.load lets "\ud800" through).
HIDDEN = "\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_HIDDEN = re.compile(f"[{HIDDEN}]")


def visible(text, keep="\t"):
    """`text` with each hidden character not in `keep` written as an escape."""
    def shown(match):
        c = match.group()
        if c in keep:
            return c
        code = ord(c)
        return f"\\x{code:02x}" if code < 0x80 else f"\\u{{{code:02x}}}" if code < 0x100 else f"\\u{{{code:04x}}}"
    return _HIDDEN.sub(shown, str(text))


def log_text(text):
    """`text` for a line of a CI log: visible, newlines escaped, and nothing GitHub Actions' runner
    would obey as a workflow command (`::command::` at the start of a line after whitespace, the
    older `##[command]` anywhere), wherever in the line the text stands."""
    text = visible(text).replace("##[", "#\\x23[")
    return re.sub(r"^(\s*):", lambda m: m.group(1) + "\\x3a", text)

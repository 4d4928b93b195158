"""Text from charts and file names, made safe to print on a terminal.

A label or a file name may hold control characters: an escape sequence would retitle or clear
the user's terminal, and a line break in a file name could fake a whole line of the report.
Human-readable output shows them as visible escapes instead (`\\x1b`, `\\n`); machine formats
(JSON, SARIF) keep the exact text, which their own escaping makes safe.

>>> visible("报价\\x1b]0;owned\\x07")
'报价\\\\x1b]0;owned\\\\x07'
>>> visible("a.flow\\nfake.flow:1:1: error")
'a.flow\\\\nfake.flow:1:1: error'
>>> visible("tab\\tstays")
'tab\\tstays'
"""

from __future__ import annotations

from .lazy_regex import LazyRegex

TYPE_CHECKING = False  # `re` only for the type checker (salesflow/regex_cache.py)
if TYPE_CHECKING:
    import re

# C0 controls but the tab, DEL, C1 controls (`\x9b` starts a sequence on some terminals), and the
# line separators and bidirectional overrides that reorder or break what is shown.
_CONTROL = LazyRegex("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character written as a visible escape."""
    if text.isprintable():  # every character above is unprintable: most text has none of them
        return text
    return _CONTROL.sub(_escape, text)


def excerpt(source_line: str, column: int, width: int = 1) -> tuple[str, str]:
    """A source line as shown (tabs as spaces, control characters escaped) and the caret line that
    marks `width` characters from the 1-based `column` in it."""
    from .textwidth import caret_line

    source = source_line.replace("\t", " ")
    start = max(0, column - 1)
    before, marked = visible(source[:start]), visible(source[start : start + width])
    shown = visible(source)
    return shown, caret_line(shown, len(before) + 1, max(1, len(marked)))

"""Display width of text in a terminal or a label: East Asian wide characters count as two columns."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\u2060\ufeff":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns `text` takes in a monospaced terminal; 潜在客户 is 8, `abc` is 3."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


def caret_line(source_line: str, column: int, width: int = 1) -> str:
    """Spaces up to 1-based `column` of `source_line`, then carets under `width` characters.

    Wide characters before the spot shift the caret by two columns each, so it lands under the
    right character in a terminal even in Chinese text.
    """
    before = source_line[: max(0, column - 1)]
    marked = source_line[max(0, column - 1) : max(0, column - 1) + width] or " "
    return " " * display_width(before) + "^" * max(1, display_width(marked))

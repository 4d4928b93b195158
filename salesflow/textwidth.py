"""Display width of text in a terminal or a label: East Asian wide characters count as two columns."""

from __future__ import annotations

import math
import unicodedata

from .lazy_regex import LazyRegex
from .memo import memoized
from .regex_cache import DOTALL


@memoized(maxsize=4096)
def char_width(ch: str) -> int:
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\u2060\ufeff":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


# The widths of the texts measured so far that are not plain ASCII. A drawing measures each
# label, owner and note several times over (its box's extent, its wrapping, its lines); each
# distinct text is now summed character by character once. Bounded, for a long-running studio.
_widths: dict[str, int] = {}
_WIDTHS_KEPT = 65_536
# The width of each character met so far, read by `sum(map(...))` without a Python call per
# character: a chart of 2,000 stages has thousands of distinct labels (`线索收集10`), each
# summed once. Bounded as the texts' store is.
_char_widths: dict[str, int] = {}


def display_width(text: str) -> int:
    """Columns `text` takes in a monospaced terminal; 潜在客户 is 8, `abc` is 3."""
    if text.isascii():
        return len(text)
    width = _widths.get(text)
    if width is None:
        try:
            width = sum(map(_char_widths.__getitem__, text))
        except KeyError:  # a character not met before
            if len(_char_widths) >= _WIDTHS_KEPT:
                _char_widths.clear()
            for ch in text:
                if ch not in _char_widths:
                    _char_widths[ch] = char_width(ch)
            width = sum(map(_char_widths.__getitem__, text))
        if len(_widths) >= _WIDTHS_KEPT:
            _widths.clear()
        _widths[text] = width
    return width


def caret_line(source_line: str, column: int, width: int = 1) -> str:
    """Spaces up to 1-based `column` of `source_line`, then carets under `width` characters.

    Wide characters before the spot shift the caret by two columns each, so it lands under the
    right character in a terminal even in Chinese text.
    """
    before = source_line[: max(0, column - 1)]
    marked = source_line[max(0, column - 1) : max(0, column - 1) + width] or " "
    return " " * display_width(before) + "^" * max(1, display_width(marked))


# Chinese line-breaking: these never start a line, those never end one.
_NO_LINE_START = set("，。、；：！？）」』》〉”’…%")
_NO_LINE_END = set("（「『《〈“‘")
# A `code span`, a run of spaces, a run of narrow characters (a word), or one character.
_ATOM = LazyRegex(r"`[^`\n]*`|\s+|[^\s`\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|.", DOTALL)


def _clings(symbol: str, other: str) -> bool:
    """An ASCII symbol written against a Chinese character stays with it (`*相关部门*`)."""
    return symbol.isascii() and not symbol.isalnum() and symbol not in "` " and char_width(other) == 2


def wrap(text: str, width: int) -> list[str]:
    """`text` broken into lines of at most `width` columns (longer only where one word is longer).

    Lines break at spaces and between Chinese characters, never inside a word or a `code span`,
    never before a closing mark such as ，。」 or after an opening one such as 「（.

    >>> wrap("每个阶段都要有负责人，写在 `A@{ owner: 客户经理 }` 里。", 20)
    ['每个阶段都要有负责', '人，写在', '`A@{ owner: 客户经理 }`', '里。']
    >>> wrap("Leave bare start and end markers alone.", 16)
    ['Leave bare start', 'and end markers', 'alone.']
    """
    atoms: list[str] = []
    for atom in _ATOM.findall(text):
        previous = atoms[-1] if atoms else ""
        glue = previous and not previous[-1].isspace() and not atom[0].isspace() and (
            atom[0] in _NO_LINE_START
            or previous[-1] in _NO_LINE_END
            or (char_width(atom[0]) == 1 and char_width(previous[-1]) == 1)
            or _clings(previous[-1], atom[0])
            or _clings(atom[0], previous[-1])
        )
        if glue:
            atoms[-1] += atom
        else:
            atoms.append(atom)
    lines: list[str] = []
    line = ""
    for atom in atoms:
        if line and not atom.isspace() and display_width(line + atom) > width:
            lines.append(line.rstrip())
            line = ""
        if line or not atom.isspace():
            line += atom
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


# How wide each printable ASCII character is in the drawings' font (dot_constants.FONT, Noto Sans
# CJK SC), in ems, as Graphviz measures it: "no" at 10 pt is 13 points, not the 11 that half an
# em a character gives. Measured once with `dot -Tjson` (ten of each character at 100 pt).
_ASCII_EMS = (
    0.225, 0.322, 0.472, 0.555, 0.555, 0.922, 0.682, 0.277, 0.337, 0.337, 0.465, 0.555, 0.277, 0.345, 0.277, 0.39,
    0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.277, 0.277, 0.555, 0.555, 0.555, 0.472,
    0.945, 0.6, 0.66, 0.61, 0.69, 0.592, 0.555, 0.69, 0.727, 0.292, 0.492, 0.645, 0.54, 0.81, 0.72, 0.742,
    0.63, 0.742, 0.637, 0.579, 0.6, 0.72, 0.584, 0.877, 0.57, 0.532, 0.586, 0.337, 0.39, 0.337, 0.555, 0.562,
    0.607, 0.562, 0.615, 0.489, 0.622, 0.555, 0.322, 0.562, 0.607, 0.277, 0.277, 0.555, 0.285, 0.922, 0.607, 0.607,
    0.622, 0.622, 0.39, 0.465, 0.354, 0.607, 0.517, 0.802, 0.495, 0.517, 0.472, 0.337, 0.27, 0.337, 0.555,
)


def drawn_points(text: str, size: float) -> float:
    """Points one line of `text` takes when Graphviz draws it in the drawings' font at `size`
    points: each ASCII character its own width, a wide character an em, any other 0.6 em;
    rounded up to a whole point, as Graphviz rounds. "no" at 10 pt is 13.

    >>> drawn_points("no", 10), drawn_points("赢单", 10)
    (13, 20)
    """
    ems = 0.0
    for ch in text:
        code = ord(ch)
        if 32 <= code < 127:
            ems += _ASCII_EMS[code - 32]
        elif char_width(ch):  # a combining mark or a joiner takes no room
            ems += 1.0 if char_width(ch) == 2 else 0.6
    return math.ceil(round(ems * size, 3))

"""A link's label read back from the layout `dot` made of it: its lines of text and their font
sizes, how wide it is (guessed, or as Graphviz draws it), and the empty cells the writer puts
beside, above or under its text (dot_labels.py) to hold the text off its link's line.

The repairs read labels this way, each for its own job: reroute.py keeps new routes clear of the
labels, relabel.py moves the labels set over something, svg_look.py looks for such labels in the
SVG, and svg_redraw.py draws the moves into it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional

HELD_OFF = 8.0  # points: an empty cell wider or taller than this holds a label's text off its line

# The patterns labels are read with (in `PATTERNS`, which picture.py compiles while dot lays a
# large chart out, so that a repair finds them in `re`'s cache).
_SPACER = r'(?i)<TD WIDTH="(\d+)"\s*>\s*</TD>'  # an empty cell that holds a label's text off to one side
_LINE_BREAK = r"(?i)<br\s*/?>|</tr>"
_TAG = r"<[^>]*>"
_TAG_OR_TEXT = r"<[^>]*>|[^<]+"
_POINT_SIZE = r'POINT-SIZE="([0-9.]+)"'
_TEXT_START = r">[^<\s]"  # where an HTML-like label's text begins
_EMPTY_CELL = r'<TD (WIDTH|HEIGHT)="([0-9.]+)"></TD>'
PATTERNS = (_SPACER, _LINE_BREAK, _TAG, _TAG_OR_TEXT, _POINT_SIZE, _TEXT_START, _EMPTY_CELL)


def spacer_width(text: str) -> float:
    """The width of an HTML-like label's empty cells (`<TD WIDTH="31"></TD>`), which hold its
    text off to one side."""
    import re

    return float(sum(int(width) for width in re.findall(_SPACER, text)))


def text_lines(text: str) -> list[str]:
    """A label's lines of text: an HTML-like label's tags dropped, its rows and breaks kept."""
    import re

    if text.startswith("<") and text.endswith(">"):
        text = re.sub(_LINE_BREAK, "\n", text)
        text = re.sub(_TAG, "", text)
        text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&#160;", " ")
    lines = [line for line in text.replace("\\n", "\n").split("\n") if line.strip()]
    return lines or [""]


def guessed_width(text: str, size: float) -> float:
    """A label's width, guessed (`-Tjson0` does not measure edge labels): wide characters a
    font size, others about half; the widest line of several. (The room a route keeps from the
    labels: measured as drawn, see drawn_width, the narrower labels let one route of seed 90210's
    chart 275 take a gap another then needed, and a detour came back.)"""
    return max(sum(size if ord(c) > 0x2E80 else size * 0.55 for c in line) for line in text_lines(text))


def drawn_width(text: str, size: float) -> float:
    """A label's width as Graphviz draws it in the drawings' font (textwidth.drawn_points): the
    widest line of several, each in its own font size."""
    from ..textwidth import drawn_points

    return max(drawn_points(line, line_size) for line, line_size in sized_lines(text, size))


def sized_lines(text: str, size: float) -> list[tuple[str, float]]:
    """A label's lines of text, each with the largest font size on it: an HTML-like label's
    `<FONT POINT-SIZE>` sets its own (a highlight tag's or a note's 9 pt under a 10 pt link),
    other text is in `size`."""
    import re

    if not (text.startswith("<") and text.endswith(">")):
        return [(line, size) for line in text_lines(text)]
    sizes = [size]
    lines: list[tuple[str, float]] = []
    line, line_size = "", 0.0
    for token in re.findall(_TAG_OR_TEXT, text):
        tag = token.upper()
        if tag.startswith("<BR") or tag == "</TR>":
            lines.append((line, line_size))
            line, line_size = "", 0.0
        elif tag.startswith("<FONT"):
            point_size = re.search(_POINT_SIZE, tag)
            sizes.append(float(point_size.group(1)) if point_size else sizes[-1])
        elif tag == "</FONT>" and len(sizes) > 1:
            sizes.pop()
        elif not token.startswith("<"):
            line += token.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&#160;", " ")
            line_size = max(line_size, sizes[-1])
    lines.append((line, line_size))
    return [(line, line_size) for line, line_size in lines if line.strip()] or [("", size)]


def _empty_cells(label: str) -> Optional[list[tuple[str, float, bool]]]:
    """Each empty cell of an HTML-like label (dot_labels.py): `WIDTH` or `HEIGHT`, its size in
    points, and whether it comes before the text; None when the label has no text (a label that
    is not HTML-like has no cells)."""
    import re

    text_at = re.search(_TEXT_START, label) if "<" in label else re.match("", label)
    if text_at is None:
        return None
    return [(cell.group(1), float(cell.group(2)), cell.start() < text_at.start())
            for cell in re.finditer(_EMPTY_CELL, label)]


def held_off(label: str, beyond: float = HELD_OFF) -> tuple[float, float]:
    """How far an HTML-like label's text lies from its centre: an empty cell of more than
    `beyond` points beside or above it (dot_labels.py) holds the text off the link's line by
    half the cell, the way from the cell to the text."""
    dx = dy = 0.0
    for kind, size, before_text in _empty_cells(label) or ():
        if size <= beyond:
            continue
        if kind == "WIDTH":
            dx += size / 2 if before_text else -size / 2
        else:  # a row above the text puts it lower (y grows upwards in the layout)
            dy += -size / 2 if before_text else size / 2
    return dx, dy


def cells_beside(label: str) -> Optional[tuple[float, float]]:
    """The widths of a label's empty cells before its text and after it, in points (a label
    that is not HTML-like has none); None when the label has no text."""
    cells = _empty_cells(label)
    if cells is None:
        return None
    widths = [(size, before_text) for kind, size, before_text in cells if kind == "WIDTH"]
    return sum(size for size, before in widths if before), sum(size for size, before in widths if not before)

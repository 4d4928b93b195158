"""Small pieces of DOT text the writer's modules share: HTML-like label markup (fonts, bold,
stacked rows, wrapped lines), the names of nodes the drawing adds, a chart style's colours and
widths as Graphviz attributes, and the worst severity among findings."""

from __future__ import annotations

from ..lazy_regex import LazyRegex
from . import labels as label_text
from .escape import clean, dot_html, dot_quote
from .dot_constants import SEVERITY_RANK

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from ..findings import Finding
    from typing import Optional, Sequence

_HEX_COLOUR = LazyRegex(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
# Colour names Graphviz and browsers agree on; anything else in a style is ignored, not guessed.
_NAMED_COLOURS = frozenset(
    "black white red green blue yellow orange purple pink brown gray grey cyan magenta navy teal olive maroon "
    "lime gold silver coral salmon khaki violet indigo crimson tomato orchid plum beige ivory lavender "
    "lightblue lightgreen lightgrey lightgray lightyellow lightpink darkblue darkgreen darkred darkorange "
    "transparent".split()
)

_WIDTH = LazyRegex(r"(\d+(?:\.\d+)?)(?:px)?")


def _worst(findings: Sequence[Finding]) -> str:
    return min((f.severity for f in findings), key=lambda s: SEVERITY_RANK.get(s, 9))


def _runs_html(line: label_text.Line) -> str:
    out = []
    for run in line:
        if not run.text:
            continue  # Graphviz refuses an empty <B></B>
        if not run.styles:
            out.append(dot_html(run.text))
            continue
        styles = [s for s in label_text.STYLE_ORDER if s in run.styles]
        out.append("".join(f"<{s}>" for s in styles) + dot_html(run.text) + "".join(f"</{s}>" for s in reversed(styles)))
    return "".join(out)


def _lines_html(lines: list[label_text.Line]) -> str:
    if len(lines) == 1 and len(lines[0]) == 1 and not lines[0][0].styles and lines[0][0].text:
        return dot_html(lines[0][0].text)  # most labels: one line of plain text
    return "<BR/>".join([_runs_html(line) for line in lines])


_FONT_TAGS: dict[tuple[Optional[float], Optional[str]], str] = {}  # (size, colour) → `<FONT …>`


def _font(text: str, size: Optional[float] = None, colour: Optional[str] = None) -> str:
    if not text:
        return ""  # Graphviz refuses an empty <FONT></FONT>
    if size is None and colour is None:
        return text
    tag = _FONT_TAGS.get((size, colour))
    if tag is None:  # a drawing uses a few sizes and colours, on thousands of labels
        attributes = ""
        if size is not None:
            attributes += f' POINT-SIZE="{size:g}"'
        if colour is not None:
            attributes += f' COLOR="{colour}"'
        tag = _FONT_TAGS[(size, colour)] = f"<FONT{attributes}>"
    return f"{tag}{text}</FONT>"


def _wrap(tag: str, text: str) -> str:
    return f"<{tag}>{text}</{tag}>" if text else ""  # Graphviz refuses an empty <B></B>


def _bold(text: str) -> str:
    return _wrap("B", text)


def _stack(rows: list[str]) -> str:
    """Rows of label text one under another. A table, not `<BR/>`: rows in different font sizes
    then get their own line heights instead of overlapping."""
    rows = [row for row in rows if row] or [""]
    if len(rows) == 1:
        return rows[0]
    cells = "</TD></TR><TR><TD>".join(rows)
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="0" CELLSPACING="2"><TR><TD>{cells}</TD></TR></TABLE>'


def _plain_lines(text: str, width: int, hyphens: bool = False) -> list[label_text.Line]:
    lines = [(label_text.Run(part),) if part else () for part in clean(text).split("\n")]
    return label_text.wrap(lines, width, hyphens)


def _colour(value: str) -> Optional[str]:
    value = value.strip()
    if _HEX_COLOUR.fullmatch(value):
        if len(value) == 4:
            value = "#" + "".join(ch * 2 for ch in value[1:])
        return value.lower()
    if value.lower() in _NAMED_COLOURS:
        return value.lower()
    return None


def _style_attributes(css: dict[str, str], edge: bool = False) -> dict[str, str]:
    attributes: dict[str, str] = {}
    if not css:
        return attributes  # most nodes and edges: no classDef, style or linkStyle
    fill = _colour(css.get("fill", ""))
    stroke = _colour(css.get("stroke", ""))
    text = _colour(css.get("color", ""))
    if fill and not edge:
        attributes["fillcolor"] = fill
    if stroke:
        attributes["color"] = stroke
    if text:
        attributes["fontcolor"] = text
    width = _WIDTH.fullmatch(css.get("stroke-width", "").strip())
    if width:
        attributes["penwidth"] = f"{min(float(width.group(1)), 8.0):g}"
    if css.get("stroke-dasharray"):
        attributes["_dashed"] = "1"
    return attributes


def _internal(name: str) -> str:
    """The DOT name of a node the drawing adds (an anchor, a stand-in), never a chart node's.

    Chart nodes keep their ids as DOT names, and an id is one word: the grammar's NODE_ID and
    every statement that names a node stop at whitespace. So a name with a space in it cannot
    be any chart node's, whatever the chart calls its nodes (`sf-first` included)."""
    return dot_quote(f"sf {name}")

"""The process chart for the handbook: the Graphviz SVG renderer's drawing, cleaned for inlining.

A chart drawn sideways (`LR`, `RL`) is also drawn top to bottom: that drawing is far narrower, and
the page shows it where the sideways one would be too small to read (see `fit.py`). Every chart
is also drawn for a phone: one stage a row, lanes stacked, text no smaller than 11 pt, and links
back or past the next stage as lettered jumps (the drawing `render --fit phone` falls back to);
narrower still, it shows where neither of the others fits.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Optional, Sequence

from ..errors import RenderError
from ..findings import Finding
from ..i18n import _
from ..model import Process
from .svg import ID_PREFIX, InlineSvg, inline_svg

UPRIGHT_ID_PREFIX = "chart-upright-"
NARROW_ID_PREFIX = "chart-narrow-"
NARROW_LAYOUT = {"direction": "LR", "wrap": 1, "narrow": True, "jumps": True}  # see render.picture.fitting_layouts


def chart(
    process: Process, label: str, findings: Sequence[Finding] = (), role: Optional[str] = None,
    for_screens: bool = True, **options: Any
) -> InlineSvg:
    """Draw `process` with the `svg` output format and make the result safe to inline; with
    `role`, that role's stages are marked. Without `for_screens` (a page that is only printed),
    the drawing for phones is left out: paper never shows it."""
    marked = frozenset(node.id for node in process.nodes if role is not None and node.owner == role)
    drawing = _draw(process, label, ID_PREFIX, marked, options)
    if for_screens:
        drawing = dataclasses.replace(drawing, narrow=_narrow(process, label, marked, options))
    if process.direction not in ("LR", "RL"):
        return drawing
    upright = _draw(dataclasses.replace(process, direction="TB"), label, UPRIGHT_ID_PREFIX, marked, options)
    return dataclasses.replace(drawing, upright=upright)


def as_written(process: Process, label: str, **options: Any) -> InlineSvg:
    """The chart as written, alone: for a page that shows no other drawing of it (the conform
    report), so Graphviz is not run for the upright and phone drawings nobody would see."""
    return _draw(process, label, ID_PREFIX, frozenset(), options)


def _narrow(process: Process, label: str, marked: frozenset, options: dict) -> Optional[InlineSvg]:
    """The drawing for a phone, or None when Graphviz gives up on it (it does on a few charts
    with many links between lanes): the page then does without it."""
    from ..render import dot, picture

    text = dot.to_dot(
        process, show_meta=bool(options.get("show_meta", True)), findings=options.get("findings") or (),
        font=str(options.get("font") or dot.FONT), **NARROW_LAYOUT,  # type: ignore[arg-type]
    )
    try:
        svg = picture.run_graphviz(text, "svg", source=process.path, repair=picture.repairs(process))
    except picture.GraphvizFailed:
        return None
    return inline_svg(svg.decode("utf-8"), label, id_prefix=NARROW_ID_PREFIX, marked=marked)


def _draw(process: Process, label: str, prefix: str, marked: frozenset, options: dict) -> InlineSvg:
    from ..render import FORMATS

    svg_format = FORMATS.get("svg")
    if svg_format is None:
        raise RenderError(_("the handbook needs the SVG chart renderer, which this installation lacks"))
    drawing = svg_format.renderer()(process, **options)
    if isinstance(drawing, bytes):
        drawing = drawing.decode("utf-8")
    return inline_svg(drawing, label, id_prefix=prefix, marked=marked)

"""The process chart for the handbook: the Graphviz SVG renderer's drawing, cleaned for inlining.

A chart drawn sideways (`LR`, `RL`) is also drawn top to bottom: that drawing is far narrower, and
the page shows it where the sideways one would be too small to read (see `fit.py`).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Optional, Sequence

from ..errors import RenderError
from ..findings import Finding
from ..model import Process
from .svg import ID_PREFIX, InlineSvg, inline_svg

UPRIGHT_ID_PREFIX = "chart-upright-"


def chart(
    process: Process, label: str, findings: Sequence[Finding] = (), role: Optional[str] = None, **options: Any
) -> InlineSvg:
    """Draw `process` with the `svg` output format and make the result safe to inline; with
    `role`, that role's stages are marked."""
    marked = frozenset(node.id for node in process.nodes if role is not None and node.owner == role)
    drawing = _draw(process, label, ID_PREFIX, marked, options)
    if process.direction not in ("LR", "RL"):
        return drawing
    upright = _draw(dataclasses.replace(process, direction="TB"), label, UPRIGHT_ID_PREFIX, marked, options)
    return dataclasses.replace(drawing, upright=upright)


def _draw(process: Process, label: str, prefix: str, marked: frozenset, options: dict) -> InlineSvg:
    from ..render import FORMATS

    svg_format = FORMATS.get("svg")
    if svg_format is None:
        raise RenderError("the handbook needs the SVG chart renderer, which this installation lacks")
    drawing = svg_format.renderer()(process, **options)
    if isinstance(drawing, bytes):
        drawing = drawing.decode("utf-8")
    return inline_svg(drawing, label, id_prefix=prefix, marked=marked)

"""The process chart for the handbook: the Graphviz SVG renderer's drawing, cleaned for inlining."""

from __future__ import annotations

from typing import Any, Sequence

from ..errors import RenderError
from ..findings import Finding
from ..model import Process
from .svg import InlineSvg, inline_svg


def chart(process: Process, label: str, findings: Sequence[Finding] = (), **options: Any) -> InlineSvg:
    """Draw `process` with the `svg` output format and make the result safe to inline."""
    from ..render import FORMATS

    svg_format = FORMATS.get("svg")
    if svg_format is None:
        raise RenderError("the handbook needs the SVG chart renderer, which this installation lacks")
    drawing = svg_format.renderer()(process, **options)
    if isinstance(drawing, bytes):
        drawing = drawing.decode("utf-8")
    return inline_svg(drawing, label)

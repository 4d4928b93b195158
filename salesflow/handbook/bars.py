"""The bars of a printed bar chart as one SVG path per paint (analytics-charts.html.j2, `funnel_print`
and `stay_print`).

A PDF renderer parses, styles and draws each SVG element as it does a paragraph: the 300 bars of a
100-stage handbook's two charts cost it as much as a twelfth of the whole print. The bars of one
paint (colour, opacity, outline) are the subpaths of one path instead, drawn the same: they do not
overlap, each is a closed rectangle, with its corners rounded as `<rect rx>` rounds them (a radius
at most half the bar's width and height), and a bar of no width draws nothing, as a `<rect>` of
no width does.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Optional


def _number(value: float) -> str:
    """A coordinate as the screen's `<rect>` gives it: to a tenth, without a needless `.0`."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def bars_path(rows: Iterable[Mapping], width_key: str, *, x: Optional[float] = None, top: float = 0,
              height: float = 20, radius: float = 0) -> str:
    """The path data of one bar per row: its left edge at `row["x"]` (or `x`), its top `top` below
    `row["y"]`, `row[width_key]` wide and `height` high, to a tenth as the `<rect>` writes them.

    >>> bars_path([{"x": 10, "y": 0, "w": 50.04}, {"x": 12, "y": 28, "w": 0}], "w", top=2)
    'M10 2h50v20h-50Z'
    >>> bars_path([{"y": 0, "w": 4}], "w", x=5, height=20, radius=3)
    'M7 0h0A2 3 0 0 1 9 3v14A2 3 0 0 1 7 20h0A2 3 0 0 1 5 17v-14A2 3 0 0 1 7 0Z'
    """
    parts = []
    for row in rows:
        left = float(_number(row["x"] if x is None else x))
        width = float(_number(row[width_key]))
        if width <= 0:
            continue
        y = row["y"] + top
        if radius <= 0:
            parts.append(f"M{_number(left)} {_number(y)}h{_number(width)}v{_number(height)}h{_number(-width)}Z")
            continue
        rx, ry = min(radius, width / 2), min(radius, height / 2)
        across, down = width - 2 * rx, height - 2 * ry
        corner = f"A{_coordinate(rx)} {_coordinate(ry)} 0 0 1"
        parts.append(
            f"M{_coordinate(left + rx)} {_coordinate(y)}h{_coordinate(across)}"
            f"{corner} {_coordinate(left + width)} {_coordinate(y + ry)}v{_coordinate(down)}"
            f"{corner} {_coordinate(left + width - rx)} {_coordinate(y + height)}h{_coordinate(-across)}"
            f"{corner} {_coordinate(left)} {_coordinate(y + height - ry)}v{_coordinate(-down)}"
            f"{corner} {_coordinate(left + rx)} {_coordinate(y)}Z"
        )
    return "".join(parts)


def _coordinate(value: float) -> str:
    """A computed coordinate (a corner's), as short as it stays exact to a thousandth."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text

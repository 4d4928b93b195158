"""How the chart is shown: on a screen of any width, and on A4 paper, always at a readable size.

The bars: chart text at least `SCREEN_TEXT_PX` CSS px on screen, without sideways scrolling, and
at least `PRINT_TEXT_PT` in print. A chart is never shrunk below them. Instead the page chooses,
for each screen width, the first drawing that fits at that size: the chart as written, else the
same chart drawn top to bottom (for a sideways chart, see `chart.py`), else the chart drawn for a
phone (one stage a row, long links as lettered jumps), else the stages as a column
(handbook-flow.html.j2), which fits any width. Print chooses the same way among the whole chart on
one page (portrait, or landscape when that shows it larger), overlapping enlarged parts of it, one
per page, and the column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup

from .svg import InlineSvg

SCREEN_TEXT_PX = 11.0
PRINT_TEXT_PT = 7.0

# The room a window leaves a drawing, in step with handbook.css: the page's gutter (16 px a side;
# 6 px on narrow screens, ≤ 640 px), the section's padding (44 px; 16 px) and the frame (1 px
# border, 12 px padding); on wider screens a scrollbar may take its share. The page is at most
# 1,040 px wide, which keeps lines of text short, but grows (up to the window) for a drawing that
# needs it.
NARROW_SCREEN = 640
FRAME = 1 + 12
NARROW_MARGINS = 2 * (6 + 16 + FRAME)
WIDE_MARGINS = 2 * (16 + 44 + FRAME)
SCROLLBAR = 17
DOCUMENT_WIDTH = 1040
WIDEST_WINDOW = 2560  # a drawing wider than a large monitor is never shown whole

# The A4 area a chart may fill in print: the page less its margins (handbook-print.css) and
# room for the section heading and hint above the chart.
PORTRAIT_MM = (210 - 2 * 16, 297 - 20 - 18 - 30)
LANDSCAPE_MM = (297 - 2 * 16, 210 - 20 - 18 - 30)
PT_TO_MM = 25.4 / 72
MAX_PARTS = 6
PART_CAPTIONS_MM = 15  # a part's caption above it and its "continues" line below


@dataclass(frozen=True)
class ScreenView:
    drawing: int  # its place in _drawings, from 1: the chart as written, then as the page may add
    from_px: int  # shown in windows at least this wide ...
    below_px: Optional[int]  # ... and narrower than this (None: any wider one)


@dataclass(frozen=True)
class ScreenChart:
    views: tuple[ScreenView, ...]  # the drawings, each for its range of window widths
    column_below: Optional[int]  # the column shows in windows narrower than this (None: never)
    widths_px: tuple[float, ...]  # each drawing's width on screen, its smallest text at the bar

    @property
    def documents_px(self) -> tuple[Optional[float], ...]:
        """For each drawing, the page width it needs, when that is more than the page's usual."""
        return tuple(
            (width + WIDE_MARGINS) if width + WIDE_MARGINS > DOCUMENT_WIDTH else None for width in self.widths_px
        )

    @property
    def column_always(self) -> bool:
        return not self.views


@dataclass(frozen=True)
class PrintedPart:
    markup: Markup  # a copy of the chart showing one stretch of it
    width_mm: float
    landscape: bool


@dataclass(frozen=True)
class PrintedChart:
    view: int  # which drawing prints whole: 1 the chart, 2 the top-to-bottom one, 0 none
    width_mm: float
    landscape: bool
    parts: tuple[PrintedPart, ...] = ()  # instead, the chart in enlarged, overlapping stretches
    column: bool = False  # instead, the stages as a column

    @property
    def continues(self) -> bool:
        return bool(self.parts)


def _drawings(drawing: InlineSvg) -> list[InlineSvg]:
    """The drawings to choose from, in order of preference (the page numbers them so)."""
    return [d for d in (drawing, drawing.upright, drawing.narrow) if d is not None]


def screen_scale(drawing: InlineSvg) -> float:
    """CSS px per point: a point is a CSS pixel (labels then read like the text around them),
    enlarged when the smallest text would be under the bar."""
    return max(1.0, SCREEN_TEXT_PX / drawing.smallest_text_pt)


def smallest_window(width_px: float) -> Optional[int]:
    """The narrowest window that holds a drawing `width_px` wide in its frame (None: none does)."""
    if width_px + NARROW_MARGINS <= NARROW_SCREEN:
        return math.ceil(width_px + NARROW_MARGINS)
    wide = width_px + WIDE_MARGINS + SCROLLBAR
    return max(NARROW_SCREEN + 1, math.ceil(wide)) if wide <= WIDEST_WINDOW else None


def screen_chart(drawing: InlineSvg) -> ScreenChart:
    """Which drawing each window width shows: the first, in the order of `_drawings`, that fits
    its frame at a readable size; the column where none does."""
    views: list[ScreenView] = []
    widths = tuple(round(d.width_pt * screen_scale(d), 1) for d in _drawings(drawing))
    below: Optional[int] = None
    for number, width in enumerate(widths, start=1):
        low = smallest_window(width)
        if low is None or (below is not None and low >= below):
            continue
        views.append(ScreenView(number, low, below))
        below = low
    return ScreenChart(tuple(views), below if views else None, widths)


def _fit(width_mm: float, height_mm: float, area: tuple[float, float]) -> float:
    return min(area[0] / width_mm, area[1] / height_mm, 1.0)


def _page(width_mm: float, height_mm: float) -> tuple[float, bool]:
    """The scale of a drawing fitted to one A4 page, and whether the page is turned to landscape."""
    portrait, landscape = _fit(width_mm, height_mm, PORTRAIT_MM), _fit(width_mm, height_mm, LANDSCAPE_MM)
    turn = landscape > portrait * 1.05  # turning the page is worth it only for a clear gain
    return (landscape if turn else portrait), turn


def printed_chart(drawing: InlineSvg) -> PrintedChart:
    """How the chart prints: whole on one A4 page when its text stays at `PRINT_TEXT_PT` or more
    (never enlarged past its natural size); else in enlarged, overlapping stretches along its long
    side, one per page, at most `MAX_PARTS` of them; else as the column of stages."""
    # Not the drawing for a phone: paper has its own way with a long chart, the parts below.
    candidates = [d for d in _drawings(drawing) if d is not drawing.narrow]
    for number, candidate in enumerate(candidates, start=1):
        width_mm, height_mm = candidate.width_pt * PT_TO_MM, candidate.height_pt * PT_TO_MM
        scale, turn = _page(width_mm, height_mm)
        if candidate.smallest_text_pt * scale >= PRINT_TEXT_PT - 0.01:
            return PrintedChart(number, round(width_mm * scale, 1), turn)
    options = [parts for parts in (_parts(c) for c in candidates) if parts]
    if options:
        return PrintedChart(0, 0.0, False, min(options, key=len))
    return PrintedChart(0, 0.0, False, column=True)


def _parts(drawing: InlineSvg) -> tuple[PrintedPart, ...]:
    width_mm, height_mm = drawing.width_pt * PT_TO_MM, drawing.height_pt * PT_TO_MM
    readable = PRINT_TEXT_PT / drawing.smallest_text_pt
    wide = width_mm >= height_mm
    # Wide charts are cut into vertical strips on landscape pages, tall ones into bands on portrait pages.
    area = LANDSCAPE_MM if wide else PORTRAIT_MM
    across, along = (height_mm, width_mm) if wide else (width_mm, height_mm)
    room_across, room_along = (area[1], area[0]) if wide else (area[0], area[1])
    if wide:
        room_across -= PART_CAPTIONS_MM
    else:
        room_along -= PART_CAPTIONS_MM
    scale = min(room_across / across, 1.0)
    if scale < readable - 1e-9:
        return ()  # even one stretch would print too small: not worth its pages
    count = math.ceil(along * scale / room_along - 1e-9)
    if count < 2 or count > MAX_PARTS:
        return ()
    x0, y0, box_w, box_h = drawing.view_box
    long_units = box_w if wide else box_h
    part_units = long_units * min(1.0, room_along / (along * scale))
    step = (long_units - part_units) / (count - 1)  # evenly spread, so neighbours overlap
    parts = []
    for i in range(count):
        offset = i * step
        if wide:
            markup = drawing.part(x0 + offset, y0, part_units, box_h)
            shown_mm = width_mm * part_units / box_w * scale
        else:
            markup = drawing.part(x0, y0 + offset, box_w, part_units)
            shown_mm = width_mm * scale
        # Trusted markup: the drawing was rebuilt element by element and escaped by svg.inline_svg.
        parts.append(PrintedPart(Markup(markup), round(shown_mm, 1), wide))
    return tuple(parts)

"""Putting a handbook together: the view, the chart and the interface text, through the templates."""

from __future__ import annotations

import datetime as _dt
import math
import os
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from markupsafe import Markup

from ..errors import ConfigError
from ..findings import Finding
from ..language import chart_words
from ..model import Process
from .messages import DEFAULT_LANGUAGE, Messages, choose_language, load_messages
from .svg import InlineSvg
from .text import plain_label
from .view import Handbook, build

# The A4 area a chart may fill in print: the page less its margins (handbook-print.css) and
# room for the section heading and hint above the chart.
_PORTRAIT_MM = (210 - 2 * 16, 297 - 20 - 18 - 30)
_LANDSCAPE_MM = (297 - 2 * 16, 210 - 20 - 18 - 30)
_PT_TO_MM = 25.4 / 72
READABLE_SCALE = 0.6  # Graphviz labels are 10–14 pt: below this they print under about 7 pt
MAX_PARTS = 6


@dataclass(frozen=True)
class Section:
    name: str  # the template handbook-<name>.html.j2
    anchor: str
    title: str
    number: int


@dataclass(frozen=True)
class PrintedPart:
    markup: Markup  # a copy of the chart showing one stretch of it
    width_mm: float
    landscape: bool


@dataclass(frozen=True)
class PrintedChart:
    width_mm: float  # the whole chart, fitted to one page
    landscape: bool
    parts: tuple[PrintedPart, ...] = ()  # enlarged stretches, when the whole is too small to read


def _fit(width_mm: float, height_mm: float, area: tuple[float, float]) -> float:
    return min(area[0] / width_mm, area[1] / height_mm, 1.0)


def printed_chart(width_pt: float, height_pt: float, drawing: Optional[InlineSvg] = None) -> PrintedChart:
    """How the chart prints: whole on one A4 page, turned to landscape when that shows it larger.

    A chart is never enlarged past its natural size. When the whole chart has to shrink below
    `READABLE_SCALE` (its labels would print smaller than about 7 pt), the pages after it show
    the chart again in overlapping stretches along its long side, each at a readable size, so a
    reader can follow every label: at most `MAX_PARTS` of them, and none if even that many would
    print too small to read (a chart that large is better split into several process files).
    """
    width_mm, height_mm = width_pt * _PT_TO_MM, height_pt * _PT_TO_MM
    portrait, landscape = _fit(width_mm, height_mm, _PORTRAIT_MM), _fit(width_mm, height_mm, _LANDSCAPE_MM)
    turn = landscape > portrait * 1.05  # turning the page is worth it only for a clear gain
    scale = landscape if turn else portrait
    whole = round(width_mm * scale, 1)
    if drawing is None or scale >= READABLE_SCALE:
        return PrintedChart(whole, turn)
    return PrintedChart(whole, turn, _parts(drawing, width_mm, height_mm))


def _parts(drawing: InlineSvg, width_mm: float, height_mm: float) -> tuple[PrintedPart, ...]:
    wide = width_mm >= height_mm
    # Wide charts are cut into vertical strips on landscape pages, tall ones into bands on portrait pages.
    area = _LANDSCAPE_MM if wide else _PORTRAIT_MM
    across, along = (height_mm, width_mm) if wide else (width_mm, height_mm)
    room_across, room_along = (area[1], area[0]) if wide else (area[0], area[1])
    scale = min(room_across / across, 1.0)
    count = math.ceil(along * scale / room_along - 1e-9)
    if count > MAX_PARTS:
        scale = MAX_PARTS * room_along / along
        count = MAX_PARTS
    if count < 2 or scale < READABLE_SCALE * 0.75:
        # Parts that would still be too small to read are not worth their pages.
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


def handbook_date(date: Optional[str] = None) -> str:
    """The date on the cover: as given, else from SOURCE_DATE_EPOCH (reproducible builds), else
    today in UTC (the same wherever the handbook is made)."""
    if date:
        try:
            return _dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise ConfigError(f"--date {date}: write the date as YYYY-MM-DD") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date().isoformat()
    return _dt.datetime.now(_dt.timezone.utc).date().isoformat()


def process_title(process: Process) -> str:
    """The process's name: its front matter `title`, else its Mermaid `accTitle`, else empty."""
    return plain_label(process.title or process.acc_title or "")


def render_html(
    process: Process,
    drawing: InlineSvg,
    findings: Sequence[Finding] = (),
    *,
    lang: Optional[str] = None,
    role: Optional[str] = None,
    template_dir: Optional[str] = None,
    date: Optional[str] = None,
    health: bool = True,
) -> str:
    """The handbook for `process` as one self-contained HTML document.

    `drawing` is the chart (see `chart.chart`); `findings` come from the linter; `lang` overrides
    the front matter's `lang`; `role` makes a handout for that one department; without `health`,
    the review is left out (no health section, no findings on the stage cards): a handout for reps.
    """
    import jinja2

    from .environment import environment, template_error

    tables = load_messages(template_dir)
    code = choose_language(lang, process.lang, chart_words(process), tables)
    t = Messages(code, tables[code], tables[DEFAULT_LANGUAGE])
    handbook = build(process, findings if health else (), role)
    named = process_title(process)
    title = named or t("untitled")
    sections = _sections(handbook, t, health)
    context: dict[str, Any] = {
        "t": t,
        "lang": code,
        "hb": handbook,
        "sections": sections,
        "process_title": title,
        "role_name": role,
        "document_title": f"{title} · {t('handbook_for_role', role=role) if role else t('handbook')}",
        # Trusted markup: rebuilt element by element and escaped by svg.inline_svg.
        "chart": _Chart(Markup(drawing.markup), drawing.width_pt, drawing.height_pt),
        "chart_print": printed_chart(drawing.width_pt, drawing.height_pt, drawing),
        "date": handbook_date(date),
        "source": process.path,
        # The cover names the file, not the folders it sits in on someone's computer.
        "source_name": os.path.basename(process.path) or process.path,
        "linked": {s.node.id for s in handbook.stages},
        "has_rates": any(c.rate for c in handbook.handovers),
        "rule_title": lambda finding: _rule_text(t, "rule", finding) or finding.rule,
        "rule_fix": lambda finding: _rule_text(t, "fix", finding),
    }
    env = environment(code, os.path.abspath(template_dir) if template_dir else None)
    try:
        return env.get_template("handbook.html.j2").render(context)
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None


@dataclass(frozen=True)
class _Chart:
    markup: Markup
    width_pt: float
    height_pt: float


def _sections(handbook: Handbook, t: Messages, health: bool = True) -> list[Section]:
    if handbook.role is not None:
        names = [("roles", "sec_your_duties"), ("chart", "sec_chart"), ("stages", "sec_stages"),
                 ("handovers", "sec_handovers"), ("deadlines", "sec_deadlines"), ("health", "sec_health")]
    else:
        names = [("chart", "sec_chart"), ("stages", "sec_stages"), ("roles", "sec_roles"),
                 ("handovers", "sec_handovers"), ("deadlines", "sec_deadlines"), ("health", "sec_health")]
    if not health:
        names = [entry for entry in names if entry[0] != "health"]
    return [Section(name, name, t(key), number) for number, (name, key) in enumerate(names, start=1)]


def _rule_text(t: Messages, kind: str, finding: Finding) -> Optional[str]:
    """A rule's title (`rule`) or advice (`fix`) in plain words, if the interface text has it."""
    try:
        return t(f"{kind}_{finding.rule}")
    except KeyError:
        return None

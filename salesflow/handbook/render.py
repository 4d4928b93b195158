"""Putting a handbook together: the view, the chart and the interface text, through the templates."""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from markupsafe import Markup

from ..errors import ConfigError
from ..findings import Finding
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


@dataclass(frozen=True)
class Section:
    name: str  # the template handbook-<name>.html.j2
    anchor: str
    title: str
    number: int


@dataclass(frozen=True)
class PrintedChart:
    width_mm: float
    landscape: bool


def printed_chart(width_pt: float, height_pt: float) -> PrintedChart:
    """The printed width that fits the whole chart on one A4 page, and which way to turn the page.

    A chart is never enlarged past its natural size; a wide one goes on a landscape page when
    that prints it larger than portrait would.
    """
    width_mm, height_mm = width_pt * _PT_TO_MM, height_pt * _PT_TO_MM

    def scale(area: tuple[int, int]) -> float:
        return min(area[0] / width_mm, area[1] / height_mm, 1.0)

    portrait, landscape = scale(_PORTRAIT_MM), scale(_LANDSCAPE_MM)
    turn = landscape > portrait * 1.05  # turning the page is worth it only for a clear gain
    return PrintedChart(round(width_mm * (landscape if turn else portrait), 1), turn)


def handbook_date(date: Optional[str] = None) -> str:
    """The date on the cover: as given, else from SOURCE_DATE_EPOCH (reproducible builds), else today."""
    if date:
        try:
            return _dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise ConfigError(f"--date {date}: write the date as YYYY-MM-DD") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date().isoformat()
    return _dt.date.today().isoformat()


def sample_text(process: Process) -> str:
    """The chart's own words, to guess its language when the front matter does not say."""
    parts = [process.title or ""] + [n.label for n in process.nodes] + [n.owner or "" for n in process.nodes]
    return " ".join(parts)


def render_html(
    process: Process,
    drawing: InlineSvg,
    findings: Sequence[Finding] = (),
    *,
    lang: Optional[str] = None,
    role: Optional[str] = None,
    template_dir: Optional[str] = None,
    date: Optional[str] = None,
) -> str:
    """The handbook for `process` as one self-contained HTML document.

    `drawing` is the chart (see `chart.chart`); `findings` come from the linter; `lang` overrides
    the front matter's `lang`; `role` makes a handout for that one department.
    """
    import jinja2

    from .environment import environment, template_error

    tables = load_messages(template_dir)
    code = choose_language(lang, process.lang, sample_text(process), tables)
    t = Messages(code, tables[code], tables[DEFAULT_LANGUAGE])
    handbook = build(process, findings, role)
    title = plain_label(process.title) if process.title else t("untitled")
    sections = _sections(handbook, t)
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
        "chart_print": printed_chart(drawing.width_pt, drawing.height_pt),
        "date": handbook_date(date),
        "source": process.path,
        "linked": {s.node.id for s in handbook.stages},
        "has_rates": any(c.rate for c in handbook.handovers),
        "rule_title": lambda finding: _rule_text(t, "rule", finding) or finding.rule,
        "rule_fix": lambda finding: _rule_text(t, "fix", finding),
    }
    env = environment(code, template_dir)
    try:
        return env.get_template("handbook.html.j2").render(context)
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None


@dataclass(frozen=True)
class _Chart:
    markup: Markup
    width_pt: float
    height_pt: float


def _sections(handbook: Handbook, t: Messages) -> list[Section]:
    if handbook.role is not None:
        names = [("roles", "sec_your_duties"), ("chart", "sec_chart"), ("stages", "sec_stages"),
                 ("handovers", "sec_handovers"), ("deadlines", "sec_deadlines"), ("health", "sec_health")]
    else:
        names = [("chart", "sec_chart"), ("stages", "sec_stages"), ("roles", "sec_roles"),
                 ("handovers", "sec_handovers"), ("deadlines", "sec_deadlines"), ("health", "sec_health")]
    return [Section(name, name, t(key), number) for number, (name, key) in enumerate(names, start=1)]


def _rule_text(t: Messages, kind: str, finding: Finding) -> Optional[str]:
    """A rule's title (`rule`) or advice (`fix`) in plain words, if the interface text has it."""
    try:
        return t(f"{kind}_{finding.rule}")
    except KeyError:
        return None

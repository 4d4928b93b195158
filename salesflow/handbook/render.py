"""Putting a handbook together: the view, the chart and the interface text, through the templates."""

from __future__ import annotations

import datetime as _dt
import os
import threading
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from markupsafe import Markup

from ..errors import ConfigError
from ..findings import Finding
from ..i18n import _
from ..language import chart_words
from ..model import Process
from .fit import printed_chart, screen_chart
from .numbers import DEFAULT_LEADS, promises
from .messages import DEFAULT_LANGUAGE, Messages, choose_language, load_messages
from .svg import InlineSvg
from .text import plain_label
from .view import Handbook, build


# Past this many stages the printed contents names the stages section only, with a note that
# the stages follow in number order, and each stage page's running header gives the numbers of
# the stages on it: a contents entry is laid out three times over (its page number is not known
# before the pages it names, see handbook-print.css), and a long list of stages is pages of
# contents that a reader does not need to find a stage by its number.
TOC_STAGES_AT_MOST = 30


@dataclass(frozen=True)
class Section:
    name: str  # the template handbook-<name>.html.j2
    anchor: str
    title: str
    number: int


def handbook_date(date: Optional[str] = None) -> str:
    """The date on the cover: as given, else from SOURCE_DATE_EPOCH (reproducible builds), else
    today in UTC (the same wherever the handbook is made)."""
    if date:
        try:
            return _dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise ConfigError(_("{option}: write the date as {pattern}", option=f"--date {date}", pattern="YYYY-MM-DD")) from None
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
    numbers: bool = True,
    leads: int = DEFAULT_LEADS,
) -> str:
    """The handbook for `process` as one self-contained HTML document.

    `drawing` is the chart (see `chart.chart`); `findings` come from the linter; `lang` overrides
    the front matter's `lang`; `role` makes a handout for that one department; without `health`,
    the review is left out (no health section, no findings on the stage cards): a handout for reps.
    With `numbers`, a chart with rates or deadlines gets a section on what it promises for `leads`
    leads (see `numbers.py`).
    """
    import jinja2

    from .environment import environment, template_error

    if _compiling is not None:
        _compiling.join()
    tables = load_messages(template_dir)
    code = choose_language(lang, process.lang, chart_words(process), tables)
    t = Messages(code, tables[code], tables[DEFAULT_LANGUAGE])
    handbook = build(process, findings if health else (), role)
    named = process_title(process)
    title = named or t("untitled")
    promised = promises(process, leads) if numbers else None
    sections = _sections(handbook, t, health, promised is not None)
    context: dict[str, Any] = {
        "t": t,
        "lang": code,
        "hb": handbook,
        "sections": sections,
        "process_title": title,
        "role_name": role,
        "document_title": f"{title} · {t('handbook_for_role', role=role) if role else t('handbook')}",
        # Trusted markup: rebuilt element by element and escaped by svg.inline_svg.
        "chart": _Chart(
            Markup(drawing.markup),
            drawing.width_pt,
            drawing.height_pt,
            Markup(drawing.part(*drawing.view_box)),
            Markup(drawing.upright.markup) if drawing.upright is not None else None,
            tuple(Markup(d.markup) for d in (drawing.upright, drawing.narrow) if d is not None),
        ),
        "chart_screen": screen_chart(drawing),
        "chart_print": printed_chart(drawing),
        "marked": {s.node.id for s in handbook.role.stages} if handbook.role else set(),
        "date": handbook_date(date),
        "source": process.path,
        # The cover names the file, not the folders it sits in on someone's computer.
        "source_name": os.path.basename(process.path) or process.path,
        "linked": {s.node.id for s in handbook.stages},
        # Whether the printed contents lists every stage (else the header numbers the stage pages).
        "toc_lists_stages": len(handbook.stages) <= TOC_STAGES_AT_MOST,
        "has_rates": any(c.rate for c in handbook.handovers),
        "promises": promised,
        "rule_title": lambda finding: _rule_text(t, "rule", finding) or finding.rule,
        "rule_fix": lambda finding: _rule_text(t, "fix", finding),
    }
    env = environment(code, os.path.abspath(template_dir) if template_dir else None)
    try:
        return env.get_template("handbook.html.j2").render(context)
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None


_compiling: Optional[threading.Thread] = None


def start_compiling(process: Process, lang: Optional[str] = None, template_dir: Optional[str] = None) -> None:
    """Compile the handbook's templates in a background thread: started before the chart is drawn,
    it has the interpreter while the caller waits for Graphviz, which draws in a process of its
    own. `render_html` waits for it; a template that does not compile is reported there."""
    global _compiling
    if _compiling is None or not _compiling.is_alive():
        _compiling = threading.Thread(target=_compile_quietly, args=(process, lang, template_dir),
                                      name="compile-templates", daemon=True)
        _compiling.start()


def _compile_quietly(process: Process, lang: Optional[str], template_dir: Optional[str]) -> None:
    from .environment import environment

    try:
        code = choose_language(lang, process.lang, chart_words(process), load_messages(template_dir))
        env = environment(code, os.path.abspath(template_dir) if template_dir else None)
        for name in env.list_templates():
            if name.startswith("handbook") and name.endswith(".j2"):
                env.get_template(name)
    except Exception:  # noqa: BLE001 - render_html compiles again and reports what fails
        pass


@dataclass(frozen=True)
class _Chart:
    markup: Markup
    width_pt: float
    height_pt: float
    copy: Markup  # the whole drawing without ids, for a second place in the page
    upright: Optional[Markup]  # a sideways chart drawn top to bottom
    others: tuple[Markup, ...] = ()  # the drawings after the first, numbered from 2 (see fit._drawings)


def _sections(handbook: Handbook, t: Messages, health: bool = True, numbers: bool = False) -> list[Section]:
    if handbook.role is not None:
        names = [("roles", "sec_your_duties"), ("chart", "sec_chart"), ("stages", "sec_stages"),
                 ("handovers", "sec_handovers"), ("deadlines", "sec_deadlines"), ("health", "sec_health")]
    else:
        names = [("chart", "sec_chart"), ("stages", "sec_stages"), ("roles", "sec_roles"),
                 ("handovers", "sec_handovers"), ("deadlines", "sec_deadlines"), ("health", "sec_health")]
    if numbers:
        names.insert(names.index(("deadlines", "sec_deadlines")) + 1, ("numbers", "sec_numbers"))
    if not health:
        names = [entry for entry in names if entry[0] != "health"]
    return [Section(name, name, t(key), number) for number, (name, key) in enumerate(names, start=1)]


def _rule_text(t: Messages, kind: str, finding: Finding) -> Optional[str]:
    """A rule's title (`rule`) or advice (`fix`) in plain words, if the interface text has it."""
    try:
        return t(f"{kind}_{finding.rule}")
    except KeyError:
        return None

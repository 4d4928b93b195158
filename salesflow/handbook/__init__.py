"""The training handbook: a process file becomes the handout a new sales rep reads on day one.

`handbook_html(process)` gives one self-contained HTML document (inline CSS and SVG, no scripts,
no network); `pdf.html_to_pdf` prints it to an A4 PDF. Jinja2 is used here and nowhere else.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..findings import Finding
from ..model import Process
from .numbers import DEFAULT_LEADS


def speaking_handbook_language(process: Process, lang: Optional[str], template_dir: Optional[str]):
    """A block in which messages (the findings the handbook quotes) are in the handbook's language:
    `lang` if given, else the chart's (`salesflow.language`). A language only a template folder
    speaks has no catalog: the messages then stay in the run's language."""
    from .. import i18n
    from ..language import chart_words
    from .messages import choose_language, load_messages

    code = choose_language(lang, process.lang, chart_words(process), load_messages(template_dir))
    return i18n.use(i18n.match_language(code))


def handbook_html(
    process: Process,
    findings: Optional[Sequence[Finding]] = None,
    *,
    lang: Optional[str] = None,
    role: Optional[str] = None,
    template_dir: Optional[str] = None,
    date: Optional[str] = None,
    health: bool = True,
    numbers: bool = True,
    leads: int = DEFAULT_LEADS,
) -> str:
    """The handbook for `process`; `findings` default to what the linter reports with its defaults,
    worded in the handbook's language.

    Without `health`, the review (health section, findings on the stage cards) is left out; without
    `numbers`, what the chart promises for `leads` leads (its funnel and times) is left out.
    """
    from .chart import chart
    from .render import process_title, render_html

    if not health:
        findings = ()
    elif findings is None:
        from ..lint import lint

        with speaking_handbook_language(process, lang, template_dir):
            findings = lint(process)
    drawing = chart(process, process_title(process), role=role)
    return render_html(
        process, drawing, findings, lang=lang, role=role, template_dir=template_dir, date=date, health=health,
        numbers=numbers, leads=leads,
    )

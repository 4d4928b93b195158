"""The training handbook: a process file becomes the handout a new sales rep reads on day one.

`handbook_html(process)` gives one self-contained HTML document (inline CSS and SVG, no scripts,
no network); `pdf.html_to_pdf` prints it to an A4 PDF. Jinja2 is used here and nowhere else.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..findings import Finding
from ..model import Process


def handbook_html(
    process: Process,
    findings: Optional[Sequence[Finding]] = None,
    *,
    lang: Optional[str] = None,
    role: Optional[str] = None,
    template_dir: Optional[str] = None,
    date: Optional[str] = None,
    health: bool = True,
) -> str:
    """The handbook for `process`; `findings` default to what the linter reports with its defaults.

    Without `health`, the review (health section, findings on the stage cards) is left out.
    """
    from .chart import chart
    from .render import process_title, render_html

    if not health:
        findings = ()
    elif findings is None:
        from ..lint import lint

        findings = lint(process)
    drawing = chart(process, process_title(process), role=role)
    return render_html(
        process, drawing, findings, lang=lang, role=role, template_dir=template_dir, date=date, health=health
    )

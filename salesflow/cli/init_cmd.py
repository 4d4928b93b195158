"""`salesflow init`: write a starting chart from a template (see salesflow/starters.py)."""

from __future__ import annotations

import os
from typing import Optional

import click

from ..starters import DEFAULT_STARTER, STARTERS
from .common import EXIT_ERROR, report

WROTE = "wrote {path} ({template}); the owners, deadlines and goal marked {blank} are yours to fill in:\n  salesflow lint {path}\n  salesflow serve {path}"
EXISTS = "{path}: refusing to overwrite an existing file; choose another name, or add --force"


@click.command("init")
@click.argument("path", default="process.flow", metavar="[FILE]")
@click.option("-t", "--template", "template", default=DEFAULT_STARTER, show_default=True, type=click.Choice(STARTERS),
              help="The process to start from.")
@click.option("--lang", default=None, type=click.Choice(["zh", "en"]),
              help="Language of the chart (default: SALESFLOW_LANG, else zh).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def command(path: str, template: str, lang: Optional[str], force: bool) -> None:
    """Write a starting process chart to FILE (default: process.flow).

    The stages and links are there; owners and deadlines are placeholders (待定 / TBD) that
    `salesflow lint` points at one by one.

    \b
    Templates: classic (the seven stages), ten-stage (key accounts), b2b (department lanes),
    saas, retail, tender, export.

    \b
    Examples:
      salesflow init
      salesflow init team.flow --template b2b
      salesflow init export.flow -t export --lang en
    """
    from ..errors import OutputError
    from ..language import match_language
    from ..output import write_atomic
    from ..starters import starter_text, starter_title

    chosen = lang or match_language(os.environ.get("SALESFLOW_LANG", ""), ("zh", "en")) or "zh"
    if os.path.lexists(path) and not force:
        report(OutputError(EXISTS.format(path=path)))
        raise SystemExit(EXIT_ERROR)
    try:
        write_atomic(path, starter_text(template, chosen))
    except OutputError as exc:
        report(exc)
        raise SystemExit(EXIT_ERROR) from None
    click.echo(WROTE.format(path=path, template=starter_title(template, chosen), blank="待定" if chosen == "zh" else "TBD"))

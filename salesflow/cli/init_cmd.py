"""`salesflow init`: write a starting chart from a template (see salesflow/starters.py)."""

from __future__ import annotations

import os
from typing import Optional

import click

from ..i18n import N_, _
from ..starters import DEFAULT_STARTER, STARTERS
from .common import EXIT_ERROR, report
from .translated import TranslatedCommand

WROTE = N_(
    "wrote {path} ({template}); the owners, deadlines and goal marked {blank} are yours to fill in:\n  salesflow lint {path}\n  salesflow serve {path}"
)
EXISTS = N_("{path}: refusing to overwrite an existing file; choose another name, or add --force")


@click.command(
    "init",
    cls=TranslatedCommand,
    help=N_(
        "Write a starting process chart to FILE (default: process.flow).\n"
        "\n"
        "The stages and links are there; owners and deadlines are placeholders (待定 / TBD) that\n"
        "`salesflow lint` points at one by one.\n"
        "\n"
        "\b\n"
        "Templates: classic (the seven stages), ten-stage (key accounts), b2b (department lanes),\n"
        "saas, retail, tender, export.\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  salesflow init\n"
        "  salesflow init team.flow --template b2b\n"
        "  salesflow init export.flow -t export --lang en"
    ),
)
@click.argument("path", default="process.flow", metavar="[FILE]")
@click.option("-t", "--template", "template", default=DEFAULT_STARTER, show_default=True, type=click.Choice(STARTERS),
              help=N_("The process to start from."))
@click.option("--lang", default=None, type=click.Choice(["zh", "en"]),
              help=N_("Language of the chart (default: salesflow --lang, SALESFLOW_LANG, the configuration's lang, else zh)."))
@click.option("--force", is_flag=True, help=N_("Overwrite FILE if it exists."))
def command(path: str, template: str, lang: Optional[str], force: bool) -> None:
    from ..errors import OutputError
    from ..output import write_atomic
    from ..starters import starter_text, starter_title

    chosen = lang or _chart_language(path)
    if os.path.lexists(path) and not force:
        report(OutputError(_(EXISTS, path=path)))
        raise SystemExit(EXIT_ERROR)
    try:
        write_atomic(path, starter_text(template, chosen))
    except OutputError as exc:
        report(exc)
        raise SystemExit(EXIT_ERROR) from None
    click.echo(_(WROTE, path=path, template=starter_title(template, chosen), blank="待定" if chosen == "zh" else "TBD"))


def _chart_language(path: str) -> str:
    """The language a starting chart is written in when `init --lang` says nothing: the one asked
    for by name (`salesflow --lang`, `SALESFLOW_LANG`, the configuration governing the chart's
    folder), else Chinese, like most of the people who draft. The locale is not asked: it decides
    the language salesflow speaks, not the language of the team's chart."""
    from ..config_files import configured_language
    from ..language import match_language

    named = click.get_current_context().meta.get("salesflow.lang")
    folder = os.path.dirname(os.path.abspath(path))
    for wanted in (named, os.environ.get("SALESFLOW_LANG", ""), lambda: configured_language(folder)):
        code = match_language(wanted() if callable(wanted) else wanted, ("zh", "en"))
        if code is not None:
            return code
    return "zh"

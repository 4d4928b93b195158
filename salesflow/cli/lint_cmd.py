"""`salesflow lint`: review process files and report what a sales-operations lead would.

This is the command as click defines it; the review itself is `salesflow.cli.lint_review.review`,
which `salesflow.cli.fast_lint` also calls, without click, for the command lines it reads exactly
as click does (tests/test_fast_lint.py holds the two to the same values and the same output).
"""

from __future__ import annotations

from typing import Any

import click

from ..i18n import N_
from ..lint.formats import FORMATS
from .translated import TranslatedCommand


@click.command(
    "lint",
    cls=TranslatedCommand,
    help=N_(
        "Review process files, directories, Markdown files (their mermaid blocks) or - for stdin.\n"
        "\n"
        "Prints `path:line:col: CODE severity: message [rule]` for each finding. Exit status: 0 when\n"
        "clean, 1 when there are findings at error level (or more warnings than --max-warnings), 2\n"
        "when an input, the configuration or the command line cannot be used.\n"
        "\n"
        "\b\n"
        "Configuration: [tool.salesflow] in pyproject.toml, or .salesflow.toml,\n"
        "found above each file: extends, rules, per-file-ignores, exclude.\n"
        "`salesflow rules` lists the rules; `salesflow rules NAME` explains one.\n"
        "Suppression: a whole-line comment in the chart,\n"
        "  %% salesflow: disable-next-line=RULE[,RULE…]\n"
        "  %% salesflow: disable-file=RULE[,RULE…]\n"
        "\n"
        "\b\n"
        "Examples:\n"
        "  salesflow lint samples/\n"
        "  salesflow lint --select missing-owner,SF2 process.flow\n"
        "  salesflow lint -f sarif -o salesflow.sarif docs/"
    ),
)
@click.argument("inputs", nargs=-1, metavar="PATH...")
@click.option(
    "-f", "--format", "format_name", type=click.Choice(list(FORMATS)), default=None,
    help=N_("Output format. Default: text, or github when GITHUB_ACTIONS=true."),
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help=N_("Write the report to this file."))
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help=N_("Use this configuration file (a .salesflow.toml or pyproject.toml) for every input."),
)
@click.option("--select", multiple=True, metavar="RULES", help=N_("Run only these rules (names, codes or code prefixes, comma-separated)."))
@click.option("--ignore", multiple=True, metavar="RULES", help=N_("Do not run these rules (names, codes or code prefixes, comma-separated)."))
@click.option(
    "--max-warnings", type=click.IntRange(min=0), default=None, metavar="N",
    help=N_("Exit with 1 when there are more than N warnings."),
)
@click.option("--exit-zero", is_flag=True, help=N_("Exit with 0 even when there are findings (errors in inputs still give 2)."))
@click.option("--stdin-filename", default=None, metavar="PATH",
              help=N_("Standard input's path: shown in findings, where the configuration is searched from, and .md "
                   "for Markdown. Implies - when no PATH is given."))
@click.option("--source/--no-source", "show_source", default=None, help=N_("Show the source line under each finding. Default: on a terminal."))
@click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto", show_default=True, help=N_("Colour the text output."))
@click.option("-q", "--quiet", is_flag=True, help=N_("Print the findings only, without the summary line."))
@click.option(
    "--date", "review_date", default=None, metavar="YYYY-MM-DD",
    help=N_("The day to review as of, for goals whose date has passed. Default: SOURCE_DATE_EPOCH if set, else today."),
)
def command(**options: Any) -> None:
    from . import lint_review

    lint_review.review(**options)
